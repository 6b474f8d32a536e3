#!/usr/bin/env node
// Prints the Tauri configuration a release build merges over tauri.conf.json
// (`tauri build --config <file>`): the update endpoint, and optionally the
// update public key and the Windows signing certificate. Read from the
// environment, so the endpoint is the build's own configuration and the
// repository holds no placeholder:
//
//   HOURGLASS_UPDATE_ENDPOINT  the URL of latest.json (required; https)
//   HOURGLASS_UPDATE_PUBKEY    replaces plugins.updater.pubkey (optional)
//   WINDOWS_CERTIFICATE_THUMBPRINT  signs the MSI and NSIS installers (optional)
//
// Usage: node scripts/release-config.mjs > release.conf.json
const env = process.env;
const endpoint = (env.HOURGLASS_UPDATE_ENDPOINT ?? "").trim();
if (!endpoint) {
  console.error("HOURGLASS_UPDATE_ENDPOINT is not set: name the URL of latest.json (see docs/updates.md).");
  process.exit(1);
}
let url;
try {
  url = new URL(endpoint.replaceAll(/\{\{\w+\}\}/g, "x"));
} catch {
  console.error(`HOURGLASS_UPDATE_ENDPOINT is not a URL: ${endpoint}`);
  process.exit(1);
}
if (url.protocol !== "https:") {
  console.error(`HOURGLASS_UPDATE_ENDPOINT must be https (release builds refuse anything else): ${endpoint}`);
  process.exit(1);
}
const config = { plugins: { updater: { endpoints: [endpoint] } } };
const pubkey = (env.HOURGLASS_UPDATE_PUBKEY ?? "").trim();
if (pubkey) config.plugins.updater.pubkey = pubkey;
const thumbprint = (env.WINDOWS_CERTIFICATE_THUMBPRINT ?? "").trim();
if (thumbprint) {
  config.bundle = {
    windows: {
      certificateThumbprint: thumbprint,
      digestAlgorithm: "sha256",
      timestampUrl: "http://timestamp.digicert.com",
    },
  };
}
process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
