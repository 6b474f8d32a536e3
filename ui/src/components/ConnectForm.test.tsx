// The connect form words every check in the window's language from its
// code and values (the Rust side's English message is only a fallback), and
// sends an empty token field as it is.
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
      found: null,
      code: "relay_token_for_new_address",
      params: {},
      message: "The saved agent token belongs to another relay address. Enter your agent token for this relay.",
    },
    {
      part: "phone_number",
      ok: true,
      found: "number_ready",
      code: null,
      params: { number: "+1 555-0100" },
      message: "The access token is valid and may send from +1 555-0100.",
    },
    {
      part: "templates",
      ok: false,
      found: null,
      code: "graph_http",
      params: { host: "graph.example.test", status: "502" },
      message: "graph.example.test answered HTTP 502 to the template list.",
    },
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
      const number = checks.find((c) => c.dataset.part === "phone_number")!;
      const templates = checks.find((c) => c.dataset.part === "templates")!;
      const worded = {
        en: ["may send from +1 555-0100.", "graph.example.test answered HTTP 502."],
        ru: ["может отправлять с номера +1 555-0100.", "graph.example.test ответил HTTP 502."],
        es: ["puede enviar desde +1 555-0100.", "graph.example.test respondió HTTP 502."],
      }[lang];
      // The number has no approved name yet: no empty "()" after it.
      expect(number.textContent).toContain(worded[0]);
      expect(templates.textContent).toContain(worded[1]);
      if (lang !== "en") expect(templates.textContent).not.toContain("answered");
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
