import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import { ClockProvider } from "../lib/clock";
import { ConversationList, ROW_HEIGHT } from "./ConversationList";

afterEach(cleanup);

function many(n: number): ConversationSummary[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    contact: { id: i + 1, phone: `+3460000${String(i).padStart(4, "0")}`, user_id: null, name: `Customer ${i + 1}` },
    display_name: `Customer ${i + 1}`,
    phone_number_id: "pn",
    last_preview: `message ${i + 1}`,
    last_direction: "inbound",
    last_sent_by: null,
    last_activity_at: 2_000_000_000 - i,
    last_inbound_at: 2_000_000_000 - i,
    unread_count: 0,
    lead: null,
  }));
}

describe("ConversationList", () => {
  it("keeps only the visible rows of 10,000 conversations in the DOM", () => {
    render(
      <ClockProvider>
        <ConversationList conversations={many(10_000)} selected={null} onSelect={() => {}} />
      </ClockProvider>,
    );
    const rows = screen.getAllByTestId("conversation-item");
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]?.textContent).toContain("Customer 1");
    const list = screen.getByTestId("conversation-list");
    expect(list.style.height).toBe(`${10_000 * ROW_HEIGHT}px`);
  });

  it("draws the rows in view first and the rows beyond them after the first frame", async () => {
    render(
      <ClockProvider>
        <ConversationList conversations={many(10_000)} selected={null} onSelect={() => {}} />
      </ClockProvider>,
    );
    // Before any layout the list is taken to be as high as the window.
    const inView = Math.ceil(window.innerHeight / ROW_HEIGHT);
    expect(screen.getAllByTestId("conversation-item").length).toBeLessThanOrEqual(inView + 2);
    await waitFor(() => expect(screen.getAllByTestId("conversation-item").length).toBeGreaterThanOrEqual(inView + 20));
  });

  it("names a customer who hides their number by their username, never by nothing", () => {
    const [a, b, c] = many(3);
    const rows = [
      // Only a username: the name is the username.
      { ...a!, contact: { id: 1, phone: null, user_id: "US.1", name: null, username: "jamie.rivers" }, display_name: "@jamie.rivers" },
      // A profile name and a username: the username beside it.
      { ...b!, contact: { id: 2, phone: null, user_id: "US.2", name: "María", username: "maria.g" }, display_name: "María" },
      // A number: nothing beside the name in the list.
      { ...c!, contact: { ...c!.contact, username: "tess" } },
    ];
    render(
      <ClockProvider>
        <ConversationList conversations={rows} selected={null} onSelect={() => {}} />
      </ClockProvider>,
    );
    expect(screen.getAllByTestId("conversation-name").map((n) => n.textContent)).toEqual([
      "@jamie.rivers",
      "María",
      "Customer 3",
    ]);
    expect(screen.getAllByTestId("conversation-handle").map((n) => n.textContent)).toEqual(["@maria.g"]);
  });

  it("names the colleague who answered last, and says You for this agent's own replies", () => {
    const [a, b, c, d] = many(4);
    const rows = [
      { ...a!, last_direction: "outbound" as const, last_sent_by: "maria", last_preview: "It ships today" },
      { ...b!, last_direction: "outbound" as const, last_sent_by: "you", last_preview: "On its way" },
      // Sent from this desktop, before its record came back from the relay.
      { ...c!, last_direction: "outbound" as const, last_sent_by: null, last_preview: "Thanks!" },
      d!,
    ];
    render(
      <ClockProvider>
        <ConversationList conversations={rows} selected={null} onSelect={() => {}} me="you" />
      </ClockProvider>,
    );
    expect(screen.getAllByTestId("conversation-preview").map((p) => p.textContent)).toEqual([
      "maria: It ships today",
      "You: On its way",
      "You: Thanks!",
      "message 4",
    ]);
  });
});
