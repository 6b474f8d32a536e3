import { cleanup, render, screen } from "@testing-library/react";
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
});
