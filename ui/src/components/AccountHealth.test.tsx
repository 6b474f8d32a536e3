// The account-health panel, its banner and the template picker's reasons,
// over a mocked Rust side, in the three languages.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AccountHealth } from "../bindings/AccountHealth";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { HealthChange } from "../bindings/HealthChange";
import type { TemplateOption } from "../bindings/TemplateOption";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockBackend } from "../lib/ipc/testing";
import { AccountHealthBanner } from "./AccountHealthBanner";
import { AccountHealthPanel } from "./AccountHealthPanel";
import { TemplatePicker } from "./TemplatePicker";

const NOW = Math.floor(Date.now() / 1000);

function change(id: number, kind: string, fields: Partial<HealthChange>): HealthChange {
  return {
    id,
    kind,
    subject: null,
    language: null,
    old_value: null,
    new_value: null,
    reason: null,
    detail: null,
    effective_at: null,
    alert: true,
    at: NOW - id,
    ...fields,
  };
}

const flagged = change(3, "quality", { old_value: "GREEN", new_value: "RED", reason: "FLAGGED" });
const paused = change(2, "template_status", {
  subject: "spring_sale",
  language: "en_US",
  old_value: "APPROVED",
  new_value: "PAUSED",
});
const tier = change(1, "tier", { old_value: "TIER_10K", new_value: "TIER_2K", reason: "DOWNGRADE" });

const health: AccountHealth = {
  numbers: [
    {
      number: "15550783881",
      quality_rating: "RED",
      messaging_tier: "TIER_2K",
      flagged: true,
      checked_at_ms: Date.now(),
    },
  ],
  templates: [
    {
      name: "abandoned_cart",
      language: "en",
      status: "REJECTED",
      category: "MARKETING",
      why: {
        reason: "INVALID_FORMAT",
        detail: "<b>Parameters</b> side by side.",
        recommendation: "Separate them with text.",
        title: null,
        at: NOW - 100,
      },
      category_change: null,
    },
    {
      name: "welcome",
      language: "en_US",
      status: "APPROVED",
      category: "UTILITY",
      why: { reason: null, detail: null, recommendation: null, title: null, at: null },
      category_change: { from: "UTILITY", to: "MARKETING", impending: false, effective_at: null },
    },
  ],
  changes: [flagged, paused, tier],
  alerts: [flagged, paused, tier],
};

beforeEach(async () => {
  await setLanguage("en");
});
afterEach(() => {
  cleanup();
  clearMocks();
});

describe("account health panel", () => {
  it("shows the rating, the tier and each template's status with Meta's reasons as text", () => {
    mockBackend(() => undefined);
    render(<AccountHealthPanel health={health} error={null} onHealth={() => undefined} onClose={() => undefined} />);
    const quality = screen.getByTestId("account-health-quality");
    expect(quality.textContent).toBe("Low");
    expect(quality.dataset.rating).toBe("RED");
    expect(screen.getByTestId("account-health-tier").textContent).toBe("2,000 customers a day");
    expect(screen.getByTestId("account-health").textContent).toContain("Meta flagged this number for low quality");
    const cart = screen
      .getAllByTestId("account-health-template")
      .find((li) => li.dataset.name === "abandoned_cart");
    expect(cart?.textContent).toContain("Rejected");
    expect(cart?.textContent).toContain("Meta rejected this template: invalid format.");
    expect(cart?.textContent).toContain("Meta says: <b>Parameters</b> side by side.");
    expect(cart?.querySelector("b")).toBeNull();
    expect(cart?.textContent).toContain("Meta recommends: Separate them with text.");
    expect(screen.getByTestId("account-health").textContent).toContain("Meta moved it from utility to marketing.");
    const history = screen.getAllByTestId("account-health-change").map((li) => li.textContent);
    expect(history[0]).toContain("Meta flagged the number for low quality");
    expect(history[1]).toContain("Template spring_sale (en_US): Paused");
    expect(history[2]).toContain("Messaging limit: 10,000 customers a day → 2,000 customers a day");
  });

  it("reads the number again on Check now", async () => {
    const fresh: AccountHealth = {
      ...health,
      numbers: [{ ...health.numbers[0]!, quality_rating: "YELLOW", flagged: false }],
    };
    mockBackend((cmd) => (cmd === "refresh_account_health" ? fresh : undefined));
    let got: AccountHealth | null = null;
    render(
      <AccountHealthPanel health={health} error={null} onHealth={(h) => (got = h)} onClose={() => undefined} />,
    );
    fireEvent.click(screen.getByTestId("account-health-refresh"));
    await waitFor(() => expect(got).toEqual(fresh));
  });

  it("is worded in Russian and Spanish", async () => {
    mockBackend(() => undefined);
    await setLanguage("ru");
    render(<AccountHealthPanel health={health} error={null} onHealth={() => undefined} onClose={() => undefined} />);
    expect(screen.getByTestId("account-health-quality").textContent).toBe("Низкий");
    expect(screen.getByTestId("account-health-tier").textContent).toBe("2 000 клиентов в сутки");
    cleanup();
    await setLanguage("es");
    render(<AccountHealthPanel health={health} error={null} onHealth={() => undefined} onClose={() => undefined} />);
    expect(screen.getByTestId("account-health-quality").textContent).toBe("Baja");
    expect(screen.getByTestId("account-health").textContent).toContain("Meta rechazó esta plantilla: formato no válido.");
  });
});

describe("account health banner", () => {
  it("says the newest change, counts the others and dismisses through it", () => {
    let dismissed: number | null = null;
    let opened = false;
    render(
      <AccountHealthBanner health={health} onOpen={() => (opened = true)} onDismiss={(id) => (dismissed = id)} />,
    );
    const banner = screen.getByTestId("account-health-banner");
    expect(banner.textContent).toContain("Meta flagged the number for low quality");
    expect(banner.textContent).toContain("and 2 more changes");
    fireEvent.click(screen.getByTestId("account-health-banner-open"));
    expect(opened).toBe(true);
    fireEvent.click(screen.getByTestId("account-health-banner-dismiss"));
    expect(dismissed).toBe(3);
  });

  it("is not shown without alerts", () => {
    render(
      <AccountHealthBanner health={{ ...health, alerts: [] }} onOpen={() => undefined} onDismiss={() => undefined} />,
    );
    expect(screen.queryByTestId("account-health-banner")).toBeNull();
  });

  it("counts in Russian plural forms and words Spanish", async () => {
    await setLanguage("ru");
    const five = [flagged, paused, tier, tier, tier, tier].map((c, i) => ({ ...c, id: 10 - i }));
    render(<AccountHealthBanner health={{ ...health, alerts: five }} onOpen={() => undefined} onDismiss={() => undefined} />);
    const banner = screen.getByTestId("account-health-banner");
    expect(banner.textContent).toContain("Meta отметила номер за низкое качество");
    expect(banner.textContent).toContain("и ещё 5 изменений");
    cleanup();
    await setLanguage("es");
    render(
      <AccountHealthBanner health={{ ...health, alerts: [paused] }} onOpen={() => undefined} onDismiss={() => undefined} />,
    );
    expect(screen.getByTestId("account-health-banner").textContent).toContain("Plantilla spring_sale (en_US): En pausa");
  });
});

describe("template picker", () => {
  const conversation: ConversationSummary = {
    id: 9,
    contact: { id: 9, phone: "+34600000009", user_id: null, name: "Tess" },
    display_name: "Tess",
    phone_number_id: "pn",
    last_preview: "hello",
    last_direction: "inbound",
    last_sent_by: null,
    last_activity_at: NOW - 90_000,
    last_inbound_at: NOW - 90_000,
    unread_count: 0,
    lead: null,
  };
  const option = (name: string, status: string, why: Partial<TemplateOption["why"]> = {}): TemplateOption => ({
    key: { name, language: "en_US" },
    status,
    category: "marketing",
    parameter_format: "positional",
    variables: [],
    preview: {
      header_text: null,
      header_media: null,
      header_media_source: null,
      body: "Hi",
      footer: null,
      buttons: [],
      problem: null,
    },
    disabled_reason: status === "APPROVED" ? null : "Meta has not approved this template",
    why: { reason: null, detail: null, recommendation: null, title: null, at: null, ...why },
    cost: null,
  });

  it("lists templates that cannot be sent apart, saying why", async () => {
    let asked: unknown = null;
    mockBackend((cmd, args) => {
      if (cmd === "list_templates") {
        asked = args?.filter;
        return [
          option("hello", "APPROVED"),
          option("spring_sale", "PAUSED", { title: "FIRST_PAUSE", detail: "Paused after customers blocked you." }),
          option("crypto_giveaway", "REJECTED", { reason: "SCAM" }),
          option("new_arrivals", "PENDING"),
        ];
      }
      return undefined;
    });
    render(<TemplatePicker conversation={conversation} onClose={() => undefined} onQueued={() => undefined} />);
    await screen.findByTestId("template-option");
    expect(screen.getAllByTestId("template-option").map((b) => b.dataset.name)).toEqual(["hello"]);
    expect((asked as { only_approved: boolean }).only_approved).toBe(false);
    const rows = screen.getAllByTestId("template-unavailable");
    const text = (name: string) => rows.find((r) => r.dataset.name === name)?.textContent ?? "";
    expect(text("spring_sale")).toContain("Paused");
    expect(text("spring_sale")).toContain("Meta paused this template after negative feedback from customers.");
    expect(text("spring_sale")).toContain("Meta says: Paused after customers blocked you.");
    expect(text("crypto_giveaway")).toContain("Meta rejected this template: suspected scam.");
    expect(text("new_arrivals")).toContain("Meta is still reviewing this template");
  });
});
