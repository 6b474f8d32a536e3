// What the next free-form reply costs, under the composer: nothing while
// replies are simply free, the allowance while it lasts, then the rate, in
// each language; asked for the open conversation.
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { ServiceCost } from "../bindings/ServiceCost";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockBackend } from "../lib/ipc/testing";
import { ReplyCost } from "./ReplyCost";

const conversation: ConversationSummary = {
  id: 9,
  contact: { id: 9, phone: "+34600000009", user_id: null, name: "Tess" },
  display_name: "Tess",
  phone_number_id: "pn",
  last_preview: "hello",
  last_direction: "inbound",
  last_sent_by: null,
  last_activity_at: 1_800_000_000,
  last_inbound_at: 1_800_000_000,
  unread_count: 0,
  lead: null,
};

afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

function answering(cost: ServiceCost): number[] {
  const asked: number[] = [];
  mockBackend((cmd, args) => {
    if (cmd === "service_cost") {
      asked.push(args?.conversationId as number);
      return cost;
    }
    return undefined;
  });
  return asked;
}

const base: ServiceCost = { rate: 0, currency: "EUR", allowance: 0, used: 0, free: true };

describe("the cost of a reply", () => {
  it("says nothing while the team has set no service rate or allowance", async () => {
    const asked = answering(base);
    render(<ReplyCost conversation={conversation} />);
    await waitFor(() => expect(asked).toEqual([9]));
    expect(screen.queryByTestId("reply-cost")).toBeNull();
  });

  it("counts the free allowance, then gives the rate once it is used", async () => {
    answering({ ...base, rate: 0.004, allowance: 1000, used: 12, free: true });
    const { unmount } = render(<ReplyCost conversation={conversation} />);
    const within = await screen.findByTestId("reply-cost");
    expect(within.textContent).toBe("Replies are free this month: 12 of 1000 free service messages used");
    unmount();
    clearMocks();
    answering({ ...base, rate: 0.004, allowance: 1000, used: 1000, free: false });
    await setLanguage("es");
    render(<ReplyCost conversation={conversation} />);
    const past = await screen.findByTestId("reply-cost");
    expect(past.textContent).toBe(
      "Unos 0.0040 EUR por respuesta: los 1000 mensajes de servicio gratuitos de este mes ya se usaron",
    );
    expect(past.dataset.free).toBe("false");
  });

  it("gives the rate when there is no allowance, in Russian too", async () => {
    answering({ ...base, rate: 0.0125, free: false });
    await setLanguage("ru");
    render(<ReplyCost conversation={conversation} />);
    expect((await screen.findByTestId("reply-cost")).textContent).toContain("Около 0.0125 EUR за ответ");
  });
});
