// The one seam between the UI and the Rust side. Nothing else in ui/ imports
// @tauri-apps/*, so every component also runs in a plain browser under test.
import { convertFileSrc, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ConversationId } from "../../bindings/ConversationId";
import type { ConversationSummary } from "../../bindings/ConversationSummary";
import type { ErrorCode } from "../../bindings/ErrorCode";
import type { IpcError } from "../../bindings/IpcError";
import type { MediaStatus } from "../../bindings/MediaStatus";
import type { MessageId } from "../../bindings/MessageId";
import type { MessagePage } from "../../bindings/MessagePage";
import type { PageAt } from "../../bindings/PageAt";
import { startupMark } from "../startup";
import type { SearchResults } from "../../bindings/SearchResults";
import type { Collision } from "../../bindings/Collision";
import type { ConversationPresence } from "../../bindings/ConversationPresence";
import type { Language } from "../../bindings/Language";
import type { LeadLinkView } from "../../bindings/LeadLinkView";
import type { QrFormat } from "../../bindings/QrFormat";
import type { NotificationSettings } from "../../bindings/NotificationSettings";
import type { OutboxChange } from "../../bindings/OutboxChange";
import type { Queued } from "../../bindings/Queued";
import type { AttachmentCheck } from "../../bindings/AttachmentCheck";
import type { HeaderUpload } from "../../bindings/HeaderUpload";
import type { UploadUpdate } from "../../bindings/UploadUpdate";
import type { TemplateFilter } from "../../bindings/TemplateFilter";
import type { TemplateKey } from "../../bindings/TemplateKey";
import type { TemplateOption } from "../../bindings/TemplateOption";
import type { TemplatePreview } from "../../bindings/TemplatePreview";
import type { TemplateValue } from "../../bindings/TemplateValue";
import type { DefaultCountry } from "../../bindings/DefaultCountry";
import type { NumberCheck } from "../../bindings/NumberCheck";
import type { SearchHit } from "../../bindings/SearchHit";
import type { Started } from "../../bindings/Started";
import type { WorkerState } from "../../bindings/WorkerState";
import type { SessionInfo } from "../../bindings/SessionInfo";
import type { AccountHealth } from "../../bindings/AccountHealth";
import type { AppEvent } from "../../bindings/AppEvent";
import type { SyncUpdate } from "../../bindings/SyncUpdate";
import type { ConnectForm } from "../../bindings/ConnectForm";
import type { ConnectionReport } from "../../bindings/ConnectionReport";
import type { ConnectOutcome } from "../../bindings/ConnectOutcome";
import type { ConnectionView } from "../../bindings/ConnectionView";
import type { TokenKind } from "../../bindings/TokenKind";
import type { LeadPatternView } from "../../bindings/LeadPatternView";
import type { RateTable } from "../../bindings/RateTable";
import type { ServiceCost } from "../../bindings/ServiceCost";
import type { CannedResponse } from "../../bindings/CannedResponse";
import type { ConversationAssignee } from "../../bindings/ConversationAssignee";
import type { ConversationLabel } from "../../bindings/ConversationLabel";
import type { ConversationTeam } from "../../bindings/ConversationTeam";
import type { ConversationStatusRow } from "../../bindings/ConversationStatusRow";
import type { ContactField } from "../../bindings/ContactField";
import type { ContactFieldKind } from "../../bindings/ContactFieldKind";
import type { ContactPanel } from "../../bindings/ContactPanel";
import type { TeamAgents } from "../../bindings/TeamAgents";
import type { Report } from "../../bindings/Report";
import type { ReportFilter } from "../../bindings/ReportFilter";
import type { DesktopSettings } from "../../bindings/DesktopSettings";
import type { LaunchNotice } from "../../bindings/LaunchNotice";
import type { TrayTexts } from "../../bindings/TrayTexts";
import type { Preference } from "../../bindings/Preference";
import type { PreferenceChange } from "../../bindings/PreferenceChange";
import type { PreferenceKey } from "../../bindings/PreferenceKey";

/**
 * A command failed on the Rust side. `code` and `params` are what the window
 * words (`problemText` in lib/i18n); `message` is Rust's English text.
 */
export class CommandError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string>;
  constructor(err: IpcError) {
    super(err.message);
    this.name = "CommandError";
    this.code = err.code;
    this.params = err.params ?? {};
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as IpcError).code === "string" &&
    typeof (value as IpcError).message === "string"
  );
}

async function call<T>(
  command: string,
  args?: Record<string, unknown> | Uint8Array,
  headers?: Record<string, string>,
): Promise<T> {
  try {
    return await invoke<T>(command, args, headers ? { headers } : undefined);
  } catch (err) {
    if (isIpcError(err)) throw new CommandError(err);
    throw new CommandError({ code: "ipc", params: { detail: String(err) }, message: String(err) });
  }
}

/** What a preference of `key` holds. */
type PreferenceValue<K extends PreferenceKey> = Extract<Preference, { key: K }>["value"];

/** The agent's preferences are one typed pair of commands, by key. */
async function getPreference<K extends PreferenceKey>(key: K): Promise<PreferenceValue<K>> {
  const preference = await call<Preference>("get_preference", { key });
  return preference.value as PreferenceValue<K>;
}

/** Checks and saves a change; answers the preference as it now is. */
async function setPreference<K extends PreferenceKey>(
  change: Extract<PreferenceChange, { key: K }>,
): Promise<PreferenceValue<K>> {
  const preference = await call<Preference>("set_preference", { change });
  return preference.value as PreferenceValue<K>;
}

export function listConversations(limit = 500): Promise<ConversationSummary[]> {
  return call("list_conversations", { limit });
}

/** The list asked for as the page starts, not yet taken. */
let early: Promise<ConversationSummary[]> | null = null;
/** That list once it has arrived, not yet taken. */
let earlyList: ConversationSummary[] | null = null;

/**
 * Asks for the inbox's list as soon as the page runs, while the window is
 * still being rendered, so the first rows do not wait for it; the live
 * inbox shows it first and reads the list again once it listens.
 */
export function prefetchConversations(): void {
  if (early) return;
  const asked: Promise<ConversationSummary[]> = listConversations().then((list) => {
    startupMark("list read");
    // Kept for the first render unless the live inbox took the read already.
    if (early === asked) earlyList = list;
    return list;
  });
  early = asked;
  // Its failure is the later read's to report.
  early.catch(() => undefined);
}

/**
 * Resolves once the list asked for as the page started has arrived (or
 * failed), or after `ms` at the latest: the window's first render waits for
 * it, so the first frame already shows the rows.
 */
export function prefetchSettled(ms: number): Promise<void> {
  const asked = early;
  if (!asked) return Promise.resolve();
  return Promise.race([
    asked.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ]);
}

/** The list asked for as the page started if it has arrived, once (then nothing else takes it). */
export function takeArrivedConversations(): ConversationSummary[] | null {
  const list = earlyList;
  if (list) {
    earlyList = null;
    early = null;
  }
  return list;
}

/** The list `prefetchConversations` asked for, once (null when none was, or it was taken). */
export function takePrefetchedConversations(): Promise<ConversationSummary[]> | null {
  const taken = early;
  early = null;
  earlyList = null;
  return taken;
}

/** A page of a chat: its newest messages, those before or after one shown, or those around a search hit. */
export function listMessages(conversationId: ConversationId, at: PageAt, limit: number): Promise<MessagePage> {
  return call("list_messages", { conversationId, limit, at });
}

/** The file of a media message: fetched from WhatsApp the first time it is shown, then from the cache. */
export function fetchMedia(messageId: MessageId): Promise<MediaStatus> {
  return call("fetch_media", { messageId });
}

/** Saves a copy of a fetched file in the Downloads folder; answers where it went. */
export function saveMedia(hash: string, filename: string): Promise<string> {
  return call("save_media", { hash, filename });
}

/**
 * Saves a copy of a fetched file where the user chooses in the system's save dialog, which suggests `filename`.
 * Answers where it went, or null when the dialog was cancelled. Only the hash and the name are sent: the path comes from the dialog.
 */
export function saveMediaAs(hash: string, filename: string): Promise<string | null> {
  return call("save_media_as", { hash, filename });
}

/** Opens a fetched file with the computer's default app (through a copy under its name). */
export function openMedia(hash: string, filename: string): Promise<string> {
  return call("open_media", { hash, filename });
}

/** The address the window loads a fetched file from: the media cache's own scheme, by content hash. */
export function mediaUrl(hash: string): string {
  return convertFileSrc(hash, "hgmedia");
}

/**
 * A fetched file as a `blob:` address, for audio and video: WebKitGTK's media
 * player cannot read an app's own scheme, so the bytes are read here and
 * handed to it in memory. Call the returned `release` when done.
 */
export async function mediaBlobUrl(hash: string): Promise<{ url: string; release: () => void }> {
  const response = await fetch(mediaUrl(hash));
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  return { url, release: () => URL.revokeObjectURL(url) };
}

/** Tells the team what this agent is doing in a chat; answers who else is there. */
export function setPresence(
  conversationId: ConversationId,
  presence: "viewing" | "typing" | "left",
): Promise<ConversationPresence> {
  return call("set_presence", { conversationId, presence });
}

/** Who else is viewing or typing in a chat. */
export function getPresence(conversationId: ConversationId): Promise<ConversationPresence> {
  return call("get_presence", { conversationId });
}

/** Before sending: another agent typing here, or one who sent to this customer in the last minute. */
export function checkCollision(conversationId: ConversationId): Promise<Collision[]> {
  return call("check_collision", { conversationId });
}

/** Messages, private notes and customers matching what the agent typed. */
export function search(query: string): Promise<SearchResults> {
  return call("search", { query });
}

/** Unread goes to 0 and WhatsApp is told the chat was read. */
export function markConversationRead(conversationId: ConversationId): Promise<ConversationSummary> {
  return call("mark_conversation_read", { conversationId });
}

/** Asks Meta to hand the conversation from its AI agent to this app; answers the updated row. */
export function takeOver(conversationId: ConversationId): Promise<ConversationSummary> {
  return call("take_over", { conversationId });
}

export function getSession(): Promise<SessionInfo> {
  return call("get_session");
}

export function startDemo(): Promise<SessionInfo> {
  return call("start_demo");
}

/** The one window event: every `AppEvent` of the Rust side, as `{kind, payload}`. */
export const APP_EVENT = "app-event";

type EventKind = AppEvent["kind"];
type PayloadOf<K extends EventKind> = Extract<AppEvent, { kind: K }> extends { payload: infer P } ? P : null;
type EventHandler = (event: AppEvent) => void;

// One Tauri listener for the whole window, dispatching by kind; it starts
// with the first subscriber and stops after the last.
const handlers = new Map<EventKind, Set<EventHandler>>();
let listening: Promise<UnlistenFn> | null = null;
let subscribers = 0;

function dispatch(event: AppEvent) {
  for (const handler of handlers.get(event.kind) ?? []) handler(event);
}

// Stopping the listener while the window is being torn down may find the
// event plugin already gone; there is nothing left to stop then.
function stopListening(unlisten: Promise<UnlistenFn>) {
  void unlisten
    .then((stop) => Promise.resolve(stop() as unknown))
    .catch(() => undefined);
}

/** Calls `handler` with the payload of every `AppEvent` of `kind`; returns the unsubscribe function. */
export async function subscribe<K extends EventKind>(kind: K, handler: (payload: PayloadOf<K>) => void): Promise<UnlistenFn> {
  const entry: EventHandler = (event) => handler(("payload" in event ? event.payload : null) as PayloadOf<K>);
  const forKind = handlers.get(kind) ?? new Set<EventHandler>();
  handlers.set(kind, forKind);
  forKind.add(entry);
  subscribers += 1;
  const current = (listening ??= listen<AppEvent>(APP_EVENT, (e) => dispatch(e.payload)));
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    forKind.delete(entry);
    subscribers -= 1;
    if (subscribers === 0 && listening === current) {
      listening = null;
      stopListening(current);
    }
  };
  try {
    await current;
  } catch (err) {
    if (listening === current) listening = null;
    stop();
    throw err;
  }
  return stop;
}

/** Live changes from the sync engine. Returns a function that stops listening. */
export function onSyncUpdate(handler: (update: SyncUpdate) => void): Promise<UnlistenFn> {
  return subscribe("sync_update", handler);
}

/** The window missed updates and should reload what it shows. */
export function onReload(handler: () => void): Promise<UnlistenFn> {
  return subscribe("reload", () => handler());
}

export function onSessionChanged(handler: (session: SessionInfo) => void): Promise<UnlistenFn> {
  return subscribe("session_changed", handler);
}

/** A wa.me link with a prefilled partner code, and its QR code. */
export function createLeadLink(code: string, template?: string): Promise<LeadLinkView> {
  return call("create_lead_link", { code, template: template ?? null });
}

/** Saves the QR code in the Downloads folder; returns where. */
export function saveLeadQr(code: string, format: QrFormat, template?: string): Promise<string> {
  return call("save_lead_qr", { code, format, template: template ?? null });
}

/** A notification was clicked: the window should open this conversation. */
export function onOpenConversation(handler: (id: ConversationId) => void): Promise<UnlistenFn> {
  return subscribe("open_conversation", handler);
}

/** Queues free text; refused with `window_closed` once the 24-hour window has closed. */
export function sendText(conversationId: ConversationId, body: string, replyTo?: string): Promise<Queued> {
  return call("send_text", { conversationId, body, replyTo: replyTo ?? null });
}

/**
 * Hands a file the agent picked, dropped or pasted to the Rust side as raw
 * bytes (never a path): checked against WhatsApp's limits by its real type
 * and kept until sent, or refused with the reason.
 */
export function stageAttachment(bytes: Uint8Array): Promise<AttachmentCheck> {
  return call("stage_attachment", bytes);
}

/** Drops a file the agent attached and did not send; kept while a queued message needs it. */
export function discardAttachment(token: string): Promise<void> {
  return call("discard_attachment", { token });
}

/** Queues a staged file with its caption; refused with `window_closed` like text. */
export function sendAttachment(
  conversationId: ConversationId,
  token: string,
  filename: string,
  caption: string | null,
): Promise<Queued> {
  return call("send_attachment", { conversationId, token, filename, caption });
}

/**
 * Uploads a file for a template's media header of `kind` (`image`, `video`,
 * `document`): checked for that header first, then named by its media id.
 */
export function uploadHeaderMedia(bytes: Uint8Array, kind: string): Promise<HeaderUpload> {
  return call("upload_header_media", bytes, { "Header-Kind": kind });
}

/** How far the upload of a file being sent got. */
export function onUploadProgress(handler: (update: UploadUpdate) => void): Promise<UnlistenFn> {
  return subscribe("upload_progress", handler);
}

export function retrySend(outboxId: string): Promise<void> {
  return call("retry_send", { outboxId });
}

/** Does not send again a message WhatsApp never confirmed. */
export function discardSend(outboxId: string): Promise<void> {
  return call("discard_send", { outboxId });
}

/** A message the outbox moved along (accepted, failed…), as it now is. */
export function onOutboxChange(handler: (change: OutboxChange) => void): Promise<UnlistenFn> {
  return subscribe("outbox_change", handler);
}

export function listTemplates(filter: TemplateFilter): Promise<TemplateOption[]> {
  return call("list_templates", { filter });
}

export function previewTemplate(key: TemplateKey, values: TemplateValue[]): Promise<TemplatePreview> {
  return call("preview_template", { key, values });
}

export function sendTemplate(conversationId: ConversationId, key: TemplateKey, values: TemplateValue[]): Promise<Queued> {
  return call("send_template", { conversationId, key, values });
}

/** What a number typed in New conversation is: new, a customer's, or unusable. */
export function checkNewNumber(input: string): Promise<NumberCheck> {
  return call("check_new_number", { input });
}

/** Customers whose name or number contains `query`. */
export function findContacts(query: string): Promise<SearchHit[]> {
  return call("find_contacts", { query });
}

/** Sends the first template to `number`, creating its conversation with it. */
export function startConversation(number: string, key: TemplateKey, values: TemplateValue[]): Promise<Started> {
  return call("start_conversation", { number, key, values });
}

/** The country numbers without `+` are read in. */
export function getDefaultCountry(): Promise<DefaultCountry> {
  return getPreference("default_country");
}

/** `null` follows the system's region again. */
export function setDefaultCountry(country: string | null): Promise<DefaultCountry> {
  return setPreference({ key: "default_country", value: country });
}

/** Reads the templates from WhatsApp again. */
export function syncTemplates(): Promise<unknown> {
  return call("sync_templates");
}

/** Whether queued messages are going out (e.g. stopped by an expired token). */
export function onSendingState(handler: (state: WorkerState) => void): Promise<UnlistenFn> {
  return subscribe("sending_state", handler);
}

export function getNotificationSettings(): Promise<NotificationSettings> {
  return getPreference("notifications");
}

export function setNotificationSettings(settings: NotificationSettings): Promise<NotificationSettings> {
  return setPreference({ key: "notifications", value: settings });
}

/** Checks each part of a connection without saving anything. */
export function testConnection(form: ConnectForm): Promise<ConnectionReport> {
  return call("test_connection", { form });
}

/** Checks the connection and, when every part passes, saves it and connects. */
export function connect(form: ConnectForm): Promise<ConnectOutcome> {
  return call("connect", { form });
}

/** The saved connection: settings, and whether each token is in the keychain. */
export function getConnection(): Promise<ConnectionView> {
  return call("get_connection");
}

/** Removes one token from the keychain. */
export function forgetToken(kind: TokenKind): Promise<SessionInfo> {
  return call("forget_token", { kind });
}

/** Forgets the connection: both tokens and the saved settings. */
export function disconnect(): Promise<SessionInfo> {
  return call("disconnect");
}

/** The window language the agent chose, or null to follow the system. */
export function getLanguagePreference(): Promise<string | null> {
  return getPreference("language");
}

export async function setLanguagePreference(language: string): Promise<void> {
  await setPreference({ key: "language", value: language });
}

/** Whether customers see Meta's typing indicator while the agent writes. */
export function getTypingIndicator(): Promise<boolean> {
  return getPreference("typing_indicator");
}

export function setTypingIndicator(on: boolean): Promise<boolean> {
  return setPreference({ key: "typing_indicator", value: on });
}

/** Tells the app the window's language now, for its notifications. */
export function setWindowLanguage(language: Language): Promise<void> {
  return call("set_window_language", { language });
}

/** The partner-code pattern that attributes leads. */
export function getLeadPattern(): Promise<LeadPatternView> {
  return getPreference("lead_pattern");
}

/** Sets the partner-code pattern; null goes back to the default. */
export function setLeadPattern(pattern: string | null): Promise<LeadPatternView> {
  return setPreference({ key: "lead_pattern", value: pattern });
}

/** The rates template cost estimates use. */
export function getRateTable(): Promise<RateTable> {
  return getPreference("rate_table");
}

/** What the next free-form reply in a conversation costs. */
export function serviceCost(conversationId: ConversationId): Promise<ServiceCost> {
  return call("service_cost", { conversationId });
}

/** Saves the rate table; null restores the published rates. */
export function setRateTable(table: RateTable | null): Promise<RateTable> {
  return setPreference({ key: "rate_table", value: table });
}

/** What the contact panel shows for a conversation's customer. */
export function getContact(conversationId: ConversationId): Promise<ContactPanel> {
  return call("get_contact", { conversationId });
}

/** The team's custom contact fields, in the order they were defined. */
export function listContactFields(): Promise<ContactField[]> {
  return call("list_contact_fields");
}

/** Defines a field (no id) or renames/changes one, for the whole team. */
export function saveContactField(
  id: string | null,
  label: string,
  kind: ContactFieldKind,
  options: string[],
): Promise<ContactField[]> {
  return call("save_contact_field", { id, label, kind, options });
}

/** Removes a field and every customer's value in it. */
export function removeContactField(id: string): Promise<ContactField[]> {
  return call("remove_contact_field", { id });
}

/** The team's name for the customer; null goes back to the WhatsApp name. */
export function setContactName(conversationId: ConversationId, name: string | null): Promise<ContactPanel> {
  return call("set_contact_name", { conversationId, name });
}

/** A field's value for the customer; null clears it. */
export function setContactValue(conversationId: ConversationId, fieldId: string, value: string | null): Promise<ContactPanel> {
  return call("set_contact_value", { conversationId, fieldId, value });
}

/** Records the customer's marketing opt-in and where they gave it. */
export function recordOptIn(conversationId: ConversationId, source: string): Promise<ContactPanel> {
  return call("record_opt_in", { conversationId, source });
}

/** Blocks or unblocks the customer through the Cloud API. */
export function setBlocked(conversationId: ConversationId, blocked: boolean): Promise<ContactPanel> {
  return call("set_blocked", { conversationId, blocked });
}

/** A conversation's assignee, private notes and labels. */
export function getConversationTeam(conversationId: ConversationId): Promise<ConversationTeam> {
  return call("get_conversation_team", { conversationId });
}

/** Assigns a conversation to an agent; null unassigns. */
export function assignConversation(conversationId: ConversationId, assignee: string | null): Promise<ConversationTeam> {
  return call("assign_conversation", { conversationId, assignee });
}

/** Adds a private note: the team sees it, the customer never does. */
export function addNote(conversationId: ConversationId, body: string): Promise<ConversationTeam> {
  return call("add_note", { conversationId, body });
}

export function setLabel(conversationId: ConversationId, label: string, on: boolean): Promise<ConversationTeam> {
  return call("set_label", { conversationId, label, on });
}

/** The conversation's status for the team; a snooze may end at `snoozeUntil` (Unix seconds). */
export function setConversationStatus(
  conversationId: ConversationId,
  status: "open" | "pending" | "snoozed" | "resolved",
  snoozeUntil: number | null = null,
): Promise<ConversationTeam> {
  return call("set_conversation_status", { conversationId, status, snoozeUntil });
}

/** The status of every conversation that is not plainly open. */
export function listStatuses(): Promise<ConversationStatusRow[]> {
  return call("list_statuses");
}

/** Every labelled conversation, for the label filter. */
export function listLabels(): Promise<ConversationLabel[]> {
  return call("list_labels");
}

/** Which conversations are assigned, to whom. */
export function listAssignees(): Promise<ConversationAssignee[]> {
  return call("list_assignees");
}

/** The team's agents, and this agent's own name. */
export function listAgents(): Promise<TeamAgents> {
  return call("list_agents");
}

export function listCanned(): Promise<CannedResponse[]> {
  return call("list_canned");
}

/** Creates (no id) or changes a canned response shared with the team. */
export function saveCanned(id: string | null, title: string, body: string): Promise<CannedResponse[]> {
  return call("save_canned", { id, title, body });
}

export function deleteCanned(id: string): Promise<CannedResponse[]> {
  return call("delete_canned", { id });
}

/** The Reports screen's figures for a date range and, optionally, one agent. */
export function getReport(filter: ReportFilter): Promise<Report> {
  return call("get_report", { filter });
}

/** Saves one report table as CSV in the Downloads folder; answers the path. */
export function saveReportCsv(table: string, filter: ReportFilter, csv: string): Promise<string> {
  return call("save_report_csv", { table, filter, csv });
}

/** Start at login and close to tray. */
export function getDesktopSettings(): Promise<DesktopSettings> {
  return call("get_desktop_settings");
}

export function setDesktopSettings(settings: DesktopSettings): Promise<DesktopSettings> {
  return call("set_desktop_settings", { settings });
}

/** The tray menu's words, in the window's language. */
export function setTrayTexts(texts: TrayTexts): Promise<void> {
  return call("set_tray_texts", { texts });
}

/** Versions, session state and the end of the log, for support; no secrets. */
export function diagnostics(): Promise<string> {
  return call("diagnostics");
}

/** Tells the shell the window shows its first conversations (a mark in the log), with the page's own start-up marks. */
export function inboxShown(conversations: number, page: [string, number][]): Promise<void> {
  return call("inbox_shown", { conversations, page });
}

/** Puts the diagnostics on the clipboard (the shell copies). */
export function copyDiagnostics(): Promise<void> {
  return call("copy_diagnostics");
}

/**
 * What a link or a second launch asked the window to do (open a chat) or
 * could not do; taking it clears it. Ask once after loading and whenever
 * `onLaunchNotice` fires.
 */
export function takeLaunchNotice(): Promise<LaunchNotice | null> {
  return call("take_launch_notice");
}

export function onLaunchNotice(handler: () => void): Promise<UnlistenFn> {
  return subscribe("launch_notice", () => handler());
}

/** The notification settings changed outside the window (the tray). */
export function onNotificationSettingsChanged(handler: (settings: NotificationSettings) => void): Promise<UnlistenFn> {
  return subscribe("notification_settings_changed", handler);
}

/** The number's quality and tier, the templates' statuses and the banner's changes. */
export function getAccountHealth(): Promise<AccountHealth> {
  return call("get_account_health");
}

/** Hides the banner's changes up to `through` (a change's id). */
export function dismissHealthAlerts(through: number): Promise<AccountHealth> {
  return call("dismiss_health_alerts", { through });
}

/** Reads the number's quality rating and tier from WhatsApp now. */
export function refreshAccountHealth(): Promise<AccountHealth> {
  return call("refresh_account_health");
}

/** The number's rating was read again: reload the account's health. */
export function onAccountHealthChanged(handler: () => void): Promise<UnlistenFn> {
  return subscribe("account_health_changed", () => handler());
}
