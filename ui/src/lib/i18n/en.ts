// English: the source of truth for every text the window shows. The other
// languages have the same keys (see `Translation`), so a key missing from
// one of them is a type error.
//
// Keys are grouped by the part of the window that shows them
// (`composer.send`, `window.closed`); counted texts use i18next's plural
// suffixes (`_one`, `_other`, and `_few`/`_many` where a language needs them).

import { errorsEn, metaRefusedEn, osEn, reasonsEn } from "./errors";
import { callTexts } from "./calls";
import { healthTexts } from "./health";
import { connectTexts, settingsTexts } from "./connect";
import { mediaTexts } from "./media";
import { attachmentTexts } from "./attachments";
import { refusalTexts } from "./refusal";
import { reportsTexts } from "./reports";
import { contactTexts } from "./contacts";
import { teamTexts } from "./team";
import { outreachTexts } from "./outreach";
import { statusTexts } from "./status";
import { desktopTexts } from "./desktop";
import type { TextsLike } from "./shape";

export const en = {
  common: {
    close: "Close",
    cancel: "Cancel",
    you: "You",
    customer: "Customer",
  },
  app: {
    loadingPart: "Loading…",
    loadPartFailed: "This part of the window could not be loaded.",
    historyPruned: "History before {{date}} is not available from the relay.",
    unapplied_one: "{{count}} event from the relay could not be applied and was kept for diagnosis.",
    unapplied_other: "{{count}} events from the relay could not be applied and were kept for diagnosis.",
    dismiss: "Dismiss",
    demoBadge: "Demo",
    demoBadgeHint: "The built-in simulator plays WhatsApp and your customers",
    sendingPaused: "Sending is paused.",
    sendingPausedDetail:
      "Messages you write wait in the outbox and go out once a valid access token is saved.",
    filtersLabel: "Filters",
    filters: {
      all: { label: "All", hint: "Every conversation" },
      leads: { label: "Leads", hint: "New customers, with where they came from" },
      closing: { label: "Closing soon", hint: "Windows with less than an hour left" },
    },
    loading: "Opening your inbox…",
    loadFailed: "The inbox could not be opened.",
    tryAgain: "Try again",
    filterEmpty: "No conversation matches this filter.",
    emptyTitle: "No conversations yet",
    emptyHint: "When a customer writes to your WhatsApp number, the chat appears here.",
    startingDemo: "Starting the demo…",
    tryDemo: "Try the demo",
    demoHint: "The demo runs a simulated WhatsApp with customers writing in, on this computer only.",
    leadLinks: "Lead links",
    notifications: "Notifications",
    settings: "Settings",
    openSettings: "Open Settings",
    connectNumber: "Connect your number",
    connectHint: "Use your own WhatsApp Business number through your team's relay.",
    pickTitle: "Pick a conversation",
    pickHint: "Choose a chat on the left to read it and reply.",
  },
  chat: {
    label: "Chat with {{name}}",
    noMessages: "No messages in this conversation yet.",
  },
  composer: {
    closed:
      "The 24-hour window closed {{time}}. WhatsApp only delivers approved templates until the customer writes again.",
    neverOpened: "This customer has not written yet. Start the conversation with an approved template.",
    chooseTemplate: "Choose a template",
    replyingToOwn: "Replying to your message",
    replyingToCustomer: "Replying to the customer",
    cancelReply: "Cancel the reply",
    placeholder: "Write a message (Enter sends, Shift+Enter for a new line)",
    placeholderNoNumber: "Connect a WhatsApp number to reply",
    inputLabel: "Message",
    sendHint: "Send (Enter)",
    sendHintNoNumber: "No WhatsApp number is connected yet",
    send: "Send",
  },
  connection: {
    connecting: "Connecting…",
    catchingUp: "Catching up {{cursor}} / {{head}}",
    live: "Live",
    reconnecting: "Reconnecting in {{seconds}}s",
    offline: "Offline since {{time}}",
    stopped: "Stopped",
  },
  conversations: {
    label: "Conversations",
    youPrefix: "You: ",
    agentPrefix: "{{name}}: ",
    unread_one: "{{count}} unread",
    unread_other: "{{count}} unread",
  },
  lead: {
    newLead: "New lead",
    partnerCode: "Partner code {{code}}",
    adHeadline: "Ad: {{headline}}",
    postHeadline: "Post: {{headline}}",
    fromAd: "From a click-to-WhatsApp ad",
    fromPost: "From a click-to-WhatsApp post",
    tagAd: "Ad",
    tagLead: "Lead",
    freeUntil: "Free messaging until {{time}}",
    freeEnded: "Free entry point ended",
    replyBefore: "Reply before {{time}} to open 72 free hours",
    whereClicked: "Where the customer clicked",
  },
  leadLinks: {
    title: "Lead links",
    forNumber: "For {{number}}",
    needNumber: "Connect a number or try the demo first",
    intro:
      "Give each partner a link or QR code. Customers who use it start the chat with the partner's code, and Hourglass shows the lead's source.",
    codeLabel: "Partner code",
    messageLabel: "First message",
    /** Prefilled in the link; `{code}` becomes the partner code. */
    defaultMessage: "Code: {code}",
    qrAlt: "QR code for {{url}}",
    savePng: "Save PNG",
    saveSvg: "Save SVG",
    savedTo: "Saved to {{path}}",
  },
  message: {
    deleted: "This message was deleted.",
    sentBy: "Sent by {{name}}",
    notDelivered: "Not delivered: {{reason}}",
    notDeliveredCode: "Not delivered ({{code}}): {{reason}}",
    unknownReason: "unknown reason",
    useTemplate: "Send a template instead",
    retry: "Retry",
    /** A send WhatsApp never confirmed: the agent decides. */
    unconfirmed: {
      question: "WhatsApp did not confirm this message. Send again?",
      sendAgain: "Send again",
      discard: "Discard",
      discarded: "WhatsApp did not confirm this message; it was not sent again.",
    },
    edited: "edited",
    reply: "Reply",
    voice: "voice message",
    contactCard: "contact card",
    tapped: "tapped",
    mapLink: "Map link",
    orderItems_one: "{{count}} item",
    orderItems_other: "{{count}} items",
    unsupported: "Unsupported message: open WhatsApp on a phone to see it.",
    unsupportedKind: "Unsupported message ({{kind}}): open WhatsApp on a phone to see it.",
    unknown: "A {{kind}} message Hourglass cannot show yet.",
    unknownWithBody: "A {{kind}} message Hourglass cannot show yet: {{body}}.",
    callAllowed: "The customer allowed calls",
    callAllowedUntil: "The customer allowed calls until {{date}}",
    callAllowedForever: "The customer allowed calls (no end date)",
    callDeclined: "The customer declined calls",
    callAnswered: "The customer answered the call request: {{response}}",
    metaError: "WhatsApp could not deliver this message: {{reason}}",
    metaErrorCode: "WhatsApp could not deliver this message ({{code}}): {{reason}}",
    /** The mark after an outbound message's time. */
    statusMark: {
      pending: "sending…",
      accepted: "sending…",
      sent: "✓",
      delivered: "✓✓",
      read: "✓✓ read",
      played: "✓✓ played",
      failed: "failed",
    },
    /** The same status, spelled out in the mark's tooltip. */
    statusName: {
      pending: "pending",
      accepted: "accepted",
      sent: "sent",
      delivered: "delivered",
      read: "read",
      played: "played",
      failed: "failed",
    },
    /** WhatsApp's message types, as a message's kind label shows them. */
    kinds: {
      text: "text",
      image: "image",
      video: "video",
      audio: "audio",
      document: "document",
      sticker: "sticker",
      location: "location",
      contacts: "contacts",
      interactive: "interactive",
      button: "button",
      reaction: "reaction",
      order: "order",
      template: "template",
      system: "system",
      unsupported: "unsupported",
    },
  },
  notifications: {
    title: "Notifications",
    subtitle: "Desktop notifications from Hourglass",
    newLeads: {
      label: "New leads",
      hint: "A notification when someone writes for the first time, with where they came from.",
    },
    newMessages: {
      label: "New messages in my chats",
      hint: "A notification when a customer in a chat assigned to you writes.",
    },
    doNotDisturb: {
      label: "Do not disturb",
      hint: "No notifications at all. Unread counts keep growing.",
    },
    assignedToMe: {
      label: "Chats assigned to me",
      hint: "A notification when a colleague assigns a conversation to you.",
    },
    windowReminder: {
      label: "Window reminder",
      hint: "A reminder when a customer in your chat is waiting for an answer and the 24-hour window closes within an hour.",
    },
    missedCalls: callTexts.en.missedCallsSetting,
  },
  shortcuts: {
    title: "Keyboard shortcuts",
    /** The sidebar button that opens the list, shown as "?". */
    open: "Keyboard shortcuts (?)",
    or: "or",
    typingNote: "Single keys do nothing while you type in a text box; the {{modifier}} shortcuts work everywhere.",
    groups: {
      conversations: "Conversations",
      chat: "Chat",
      general: "General",
    },
    rows: {
      next: "Next conversation",
      previous: "Previous conversation",
      firstLast: "First or last conversation",
      open: "Open the chosen conversation",
      search: "Go to the conversation list",
      filterAll: "Show all conversations",
      filterLeads: "Show leads",
      filterClosing: "Show windows closing soon",
      newConversation: "Start a new conversation",
      reply: "Write a reply (or choose a template once the window is closed)",
      templates: "Send a template",
      resolve: "Resolve the conversation",
      snooze: "Snooze the conversation",
      reopen: "Reopen the conversation",
      escape: "Leave the message box, or close a panel",
      help: "Show this list",
    },
    /** Key names as printed on keyboards. */
    keys: {
      ctrl: "Ctrl",
      command: "Command",
      shift: "Shift",
      enter: "Enter",
      escape: "Esc",
      home: "Home",
      end: "End",
      up: "Up arrow",
      down: "Down arrow",
    },
  },
  templates: {
    dialogLabel: "Choose a template",
    title: "Send a template to {{name}}",
    search: "Search templates",
    language: "Language",
    allLanguages: "All languages",
    category: "Category",
    allCategories: "All categories",
    /** The category filter's choices. */
    categoryOption: {
      marketing: "Marketing",
      utility: "Utility",
      authentication: "Authentication",
    },
    /** A template's category, as its row and form show it. */
    categoryName: {
      marketing: "marketing",
      utility: "utility",
      authentication: "authentication",
      service: "service",
    },
    refreshHint: "Read the templates from WhatsApp again",
    refresh: "Refresh",
    refreshing: "Refreshing…",
    loading: "Loading templates…",
    none: "No approved template matches. Templates are synced from your WhatsApp account.",
    back: "← All templates",
    slotHeaderText: "Header {{variable}}",
    slotHeaderMedia: "Header media (link)",
    slotButton: "Link suffix (button {{number}})",
    free: "Free: {{reason}}",
    cost: "About {{amount}} {{currency}} ({{reason}})",
    send: "Send template",
  },
  update: {
    readyToInstall: "Hourglass {{version}} is ready to install",
    install: "Install",
    check: "Check for updates",
    checking: "Checking for updates…",
    upToDate: "Hourglass {{version}} is up to date",
    available: "Hourglass {{version}} is available and verified",
    installing: "Installing Hourglass {{version}}…",
    installAndRestart: "Install and restart",
  },
  /** The connect form and Settings: their long texts live in connect.ts. */
  connect: connectTexts.en,
  /** Problems from the Rust side, by code: their texts live in errors.ts. */
  errors: errorsEn,
  /** Why an input was refused, by reason: the texts live in errors.ts. */
  reasons: reasonsEn,
  /** What the operating system said, by kind: the texts live in errors.ts. */
  os: osEn,
  /** Meta's refusal worded by its kind, with Meta's code. */
  metaRefused: metaRefusedEn,
  settings: settingsTexts.en,
  team: teamTexts.en,
  outreach: outreachTexts.en,
  status: statusTexts.en,
  contacts: contactTexts.en,
  reports: reportsTexts.en,
  desktop: desktopTexts.en,
  refusal: refusalTexts.en,
  media: mediaTexts.en,
  attachment: attachmentTexts.en,
  calls: callTexts.en,
  health: healthTexts.en,
  window: {
    noWindow: "No window",
    closed: "Closed",
    hoursMinutes: "{{hours}}h {{minutes}}m",
    minutes: "{{minutes}}m",
    underAMinute: "<1m",
    minutesSeconds: "{{minutes}}m {{seconds}}s",
    prefix: "Window",
    label: "24-hour window: {{label}}",
    openHint:
      "Free text until {{time}} (24 hours after the customer's last message). After that, only approved templates.",
    closedHint: "Closed since {{time}}. Only approved templates can be sent until the customer writes again.",
    neverOpenedHint: "The customer has not written yet. Start the conversation with an approved template.",
  },
};

/** The shape every language fills: the same keys as English (see `TextsLike`). */
export type Translation<T = typeof en> = TextsLike<T>;
