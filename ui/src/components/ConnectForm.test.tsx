// The connect form words the relay's "token for a new address" refusal in
// the window's language, and sends an empty token field as it is.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ConnectionReport } from "../bindings/ConnectionReport";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockBackend, mockWindows } from "../lib/ipc/testing";
import { ConnectForm } from "./ConnectForm";

afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

const refused: ConnectionReport = {
  checks: [
    {
      part: "relay",
      ok: false,
      code: "relay_token_for_new_address",
      message: "The saved agent token belongs to another relay address. Enter your agent token for this relay.",
    },
    { part: "phone_number", ok: true, code: null, message: "The access token is valid." },
    { part: "templates", ok: true, code: null, message: "The templates can be read." },
  ],
  display_phone_number: null,
  verified_name: null,
};

function backend() {
  const forms: unknown[] = [];
  mockWindows("main");
  mockBackend((cmd, args) => {
    if (cmd === "test_connection") {
      forms.push(args?.form);
      return refused;
    }
    return undefined;
  });
  return forms;
}

const existing = {
  settings: { relay_url: "https://relay.example.com", phone_number_id: "1", waba_id: "2" },
  display_phone_number: null,
  relay_token_saved: true,
  access_token_saved: true,
};

describe("a saved relay token and a new relay address", () => {
  for (const [lang, text] of [
    ["en", "Enter your agent token for this relay."],
    ["ru", "Введите свой токен агента для этого ретранслятора."],
    ["es", "Introduce tu token de agente para este relay."],
  ] as const) {
    it(`asks for the new relay's token (${lang})`, async () => {
      const forms = backend();
      await setLanguage(lang);
      render(<ConnectForm existing={existing} onConnected={() => {}} />);
      fireEvent.change(screen.getByTestId("connect-relay-url"), { target: { value: "https://other.example.org" } });
      fireEvent.click(screen.getByTestId("connect-test"));
      const checks = await screen.findAllByTestId("connect-check", {}, { timeout: 2000 });
      const check = checks.find((c) => c.dataset.part === "relay")!;
      await waitFor(() => expect(check.dataset.code).toBe("relay_token_for_new_address"));
      expect(check.textContent).toContain(text);
      expect(forms).toEqual([
        {
          relay_url: "https://other.example.org",
          relay_token: "",
          phone_number_id: "1",
          waba_id: "2",
          access_token: "",
        },
      ]);
    });
  }
});
