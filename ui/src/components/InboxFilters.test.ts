import { describe, expect, it } from "vitest";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { StatusChange } from "../bindings/StatusChange";
import { SERVICE_WINDOW_SECS } from "../lib/window";
import { type InboxQuery, type InboxTeam, inboxView } from "./InboxFilters";

const NOW = 1_800_000_000;

const row = (id: number, lastInbound: number, lead = false): ConversationSummary => ({
  id,
  contact: { id, phone: `+34600000${id}`, user_id: null, name: null },
  display_name: `C${id}`,
  phone_number_id: "pn",
  last_preview: "",
  last_direction: "inbound",
  last_sent_by: null,
  last_activity_at: NOW - id,
  last_inbound_at: lastInbound,
  unread_count: 0,
  lead: lead ? { source: null, at: lastInbound, first_reply_at: null } : null,
});

const status = (s: StatusChange["status"], snooze_until: number | null = null): StatusChange => ({
  status: s,
  snooze_until,
  by: "ana",
  at_ms: 0,
});

// 1: open lead; 2: window closing soon, owned by me; 3: pending, owned by bo;
// 4: snoozed until later; 5: snoozed until a time now past; 6: resolved.
const all = [
  row(1, NOW - 60, true),
  row(2, NOW - SERVICE_WINDOW_SECS + 600),
  row(3, NOW - 120),
  row(4, NOW - 120),
  row(5, NOW - 120),
  row(6, NOW - 120),
];

const team: InboxTeam = {
  statuses: new Map([
    [3, status("pending")],
    [4, status("snoozed", NOW + 3600)],
    [5, status("snoozed", NOW - 1)],
    [6, status("resolved")],
  ]),
  owners: new Map([
    [2, "ana"],
    [3, "bo"],
  ]),
  labels: new Map([
    [1, ["vip", "billing"]],
    [3, ["billing"]],
    [6, ["vip"]],
  ]),
  me: "ana",
};

const q = (parts: Partial<InboxQuery> = {}): InboxQuery => ({ statusView: "open", filter: "all", label: null, ...parts });
const ids = (parts: Partial<InboxQuery>, t: InboxTeam = team) => inboxView(all, q(parts), t, NOW).list.map((c) => c.id);

describe("inboxView", () => {
  it("counts each status view, an ended snooze as open and pending with open", () => {
    const v = inboxView(all, q(), team, NOW);
    expect(v.counts).toEqual({ open: 4, snoozed: 1, resolved: 1 });
    expect(v.list.map((c) => c.id)).toEqual([1, 2, 3, 5]);
    expect([...v.pending]).toEqual([3]);
    expect(ids({ statusView: "snoozed" })).toEqual([4]);
    expect(ids({ statusView: "resolved" })).toEqual([6]);
  });

  it("keeps leads, closing windows, mine and unassigned", () => {
    expect(ids({ filter: "leads" })).toEqual([1]);
    expect(ids({ filter: "closing" })).toEqual([2]);
    expect(ids({ filter: "mine" })).toEqual([2]);
    expect(ids({ filter: "unassigned" })).toEqual([1, 5]);
    // An agent the relay has not named owns nothing.
    expect(ids({ filter: "mine" }, { ...team, me: null })).toEqual([]);
  });

  it("narrows any filter to a label and lists the labels in use, sorted", () => {
    expect(ids({ label: "billing" })).toEqual([1, 3]);
    expect(ids({ label: "vip", statusView: "resolved" })).toEqual([6]);
    expect(ids({ label: "billing", filter: "unassigned" })).toEqual([1]);
    expect(inboxView(all, q(), team, NOW).labels).toEqual(["billing", "vip"]);
  });
});
