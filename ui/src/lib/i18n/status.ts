// Texts of conversation status: the chat header, the list's filters and the
// timeline's lines.

const en = {
  label: "Status",
  open: "Open",
  pending: "Pending",
  snoozed: "Snoozed",
  resolved: "Resolved",
  snoozedUntil: "Snoozed until {{time}}",
  snoozedUntilReply: "Snoozed until the customer writes",
  resolve: "Resolve",
  snooze: "Snooze",
  reopen: "Reopen",
  markPending: "Mark pending",
  snoozeChoices: "Snooze until",
  snoozeHour: "In 1 hour",
  snoozeTomorrow: "Tomorrow at 9:00",
  snoozeReply: "Until the customer writes",
  filtersLabel: "Conversation status",
  filterOpenHint: "Open and pending conversations",
  filterSnoozedHint: "Snoozed conversations",
  filterResolvedHint: "Resolved conversations",
  /** The timeline's line for each change; {{name}} is the agent. */
  line: {
    open: "{{name}} reopened this conversation",
    pending: "{{name}} marked this conversation pending",
    snoozed: "{{name}} snoozed this conversation until {{until}}",
    snoozedReply: "{{name}} snoozed this conversation until the customer writes",
    resolved: "{{name}} resolved this conversation",
    customer: "The customer wrote: the conversation is open again",
  },
};

export const statusTexts = { en };
