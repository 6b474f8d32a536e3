import { type KeyboardEvent, lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import type { ConnectionState } from "./bindings/ConnectionState";
import type { ConversationId } from "./bindings/ConversationId";
import type { ConversationSummary } from "./bindings/ConversationSummary";
import type { Message } from "./bindings/Message";
import type { MessageId } from "./bindings/MessageId";
import type { SearchHit } from "./bindings/SearchHit";
import type { Started } from "./bindings/Started";
import type { SessionInfo } from "./bindings/SessionInfo";
import type { WorkerState } from "./bindings/WorkerState";
import type { LaunchProblem } from "./bindings/LaunchProblem";
import { ChatPane, type ChatPaneHandle } from "./components/ChatPane";
import { ConnectionBadge } from "./components/ConnectionBadge";
import { ConversationList } from "./components/ConversationList";
import { hitId, SearchBox, SearchResultsView, useSearch } from "./components/SearchPanel";
import { LeadLinks } from "./components/LeadLinks";
import { NewConversationDialog } from "./components/NewConversation";
import { ConnectForm } from "./components/ConnectForm";
import { useLabels, useOwners } from "./components/TeamPanel";
import { effectiveStatus, type StatusView, useStatuses, viewOf } from "./components/StatusControl";
import { NotificationSettingsPanel } from "./components/NotificationSettingsPanel";
import { SettingsScreen } from "./components/SettingsScreen";
import { AccountHealthBanner } from "./components/AccountHealthBanner";
import { AccountHealthPanel } from "./components/AccountHealthPanel";
import { useAccountHealth } from "./lib/health/useAccountHealth";
import { ShortcutsDialog } from "./components/ShortcutsDialog";
import { UpdateCheck } from "./components/UpdateCheck";
import { ClockProvider, useNow } from "./lib/clock";
import { currentLanguage, i18n, setLanguage, useTranslation, type Language } from "./lib/i18n";
import { fullTime } from "./lib/format/time";
import type { ChatAnchor } from "./lib/inbox/anchor";
import { mergeConversations } from "./lib/inbox/merge";
import { mergeLive } from "./lib/inbox/pages";
import { useChatWindow } from "./lib/inbox/useChatWindow";
import { type Action, ariaKeys, combosFor, isMac, landCursor, moveCursor, useShortcuts } from "./lib/keyboard";
import {
  CommandError,
  getLanguagePreference,
  setWindowLanguage,
  getSession,
  listConversations,
  markConversationRead,
  onOpenConversation,
  onOutboxChange,
  onReload,
  onSendingState,
  onSessionChanged,
  onSyncUpdate,
  startDemo,
  inboxShown,
  onLaunchNotice,
  dismissHealthAlerts,
  setTrayTexts,
  takeLaunchNotice,
} from "./lib/ipc";
import { serviceWindow } from "./lib/window";
import { errorText, problemText } from "./lib/i18n/problem";

// Loaded when first opened: the charting library stays out of the inbox's bundle.
const ReportsScreen = lazy(() => import("./components/ReportsScreen"));

type Load<T> =
  | { state: "loading" }
  | { state: "ready"; value: T }
  | { state: "failed"; code: string; message: string };

// Errors that retrying cannot fix: the agent must update or reinstall.
const PERMANENT = new Set(["newer_schema", "migration_changed"]);

type Filter = "all" | "leads" | "closing";

// Each filter's label and hint are `app.filters.<id>` in the translations.
const FILTERS: { id: Filter }[] = [{ id: "all" }, { id: "leads" }, { id: "closing" }];

/** The shortcut that switches to each filter. */
const FILTER_ACTIONS: Record<Filter, Action> = { all: "filterAll", leads: "filterLeads", closing: "filterClosing" };

/** The status views; Open is the default and holds pending conversations too. */
const STATUS_VIEWS: readonly { id: StatusView; hint: "filterOpenHint" | "filterSnoozedHint" | "filterResolvedHint" }[] = [
  { id: "open", hint: "filterOpenHint" },
  { id: "snoozed", hint: "filterSnoozedHint" },
  { id: "resolved", hint: "filterResolvedHint" },
];

/** Ownership filters, shown once the app is on a team's relay. */
type TeamFilter = "mine" | "unassigned";
const TEAM_FILTERS: readonly { id: TeamFilter; label: "filterMine" | "filterUnassigned" }[] = [
  { id: "mine", label: "filterMine" },
  { id: "unassigned", label: "filterUnassigned" },
];

export function App() {
  return (
    <ClockProvider>
      <Inbox />
    </ClockProvider>
  );
}

function Inbox() {
  const now = useNow();
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter | TeamFilter>("all");
  const [conversations, setConversations] = useState<Load<ConversationSummary[]>>({ state: "loading" });
  const [selected, setSelected] = useState<ConversationId | null>(null);
  const pages = useChatWindow();
  const { chat, setChat, open: openPage, error: chatError } = pages;
  const [session, setSession] = useState<SessionInfo | null>(null);
  const { owners, me } = useOwners(session?.mode ?? null);
  const labels = useLabels(session?.mode ?? null);
  const statuses = useStatuses(session?.mode ?? null);
  const [statusView, setStatusView] = useState<StatusView>("open");
  // Shown with any filter: only conversations with this label.
  const [labelFilter, setLabelFilter] = useState<string | null>(null);
  const allLabels = [...new Set([...labels.values()].flat())].sort((a, b) => a.localeCompare(b));
  const [connection, setConnection] = useState<ConnectionState | null>(null);
  const [sending, setSending] = useState<WorkerState | null>(null);
  // Events the sync kept flagged because applying them failed, since the
  // banner was last dismissed.
  const [unapplied, setUnapplied] = useState(0);
  // The relay's retention removed events before this time (Unix ms) that
  // this desktop had not read.
  const [historyBefore, setHistoryBefore] = useState<number | null>(null);
  const [demoError, setDemoError] = useState<string | null>(null);
  // What a link or a second launch could not do, until dismissed.
  const [launchProblem, setLaunchProblem] = useState<LaunchProblem | null>(null);
  const [startingDemo, setStartingDemo] = useState(false);
  const [screen, setScreen] = useState<
    "inbox" | "lead-links" | "notifications" | "connect" | "settings" | "reports" | "health"
  >("inbox");
  const selectedRef = useRef<ConversationId | null>(null);
  selectedRef.current = selected;
  // The keyboard cursor in the list: the row Enter opens (see lib/keyboard).
  const [active, setActive] = useState<ConversationId | null>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [showNew, setShowNew] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const found = useSearch(query);
  const hits = found.state === "ready" ? found.hits : [];
  // The keyboard cursor belongs to one set of results: new results start
  // at their first hit, decided while rendering (an effect resetting it
  // could land after an arrow key pressed as the results appeared).
  const [cursor, setCursor] = useState<{ of: typeof found; index: number }>({ of: found, index: 0 });
  const hitCursor = cursor.of === found ? cursor.index : 0;
  const [anchor, setAnchor] = useState<ChatAnchor | null>(null);
  const anchorRef = useRef<ChatAnchor | null>(null);
  anchorRef.current = anchor;
  const chatRef = useRef<ChatPaneHandle>(null);
  const mac = isMac();

  const refresh = useCallback(async () => {
    try {
      setConversations({ state: "ready", value: await listConversations() });
    } catch (err) {
      const code = err instanceof CommandError ? err.code : "unknown";
      setConversations({ state: "failed", code, message: errorText(err) });
    }
  }, []);

  const markRead = useCallback((id: ConversationId) => {
    markConversationRead(id)
      .then((c) => {
        if (!c) return;
        setConversations((prev) =>
          prev.state === "ready" ? { state: "ready", value: mergeConversations(prev.value, [c]) } : prev,
        );
      })
      // Reading state is best effort: the chat stays usable either way.
      .catch(() => undefined);
  }, []);

  /** Reads the chat's first page: around the search hit it opens at, else the newest. */
  const loadChat = useCallback(
    (id: ConversationId) => {
      const at = anchorRef.current?.conversation === id ? anchorRef.current : null;
      openPage(
        id,
        at?.messageId != null
          ? { at: "around", message: at.messageId }
          : at?.noteId != null && at.at != null
            ? { at: "around_time", seconds: at.at }
            : { at: "newest" },
      );
    },
    [openPage],
  );

  // Live updates: rows are replaced in place, nothing is reloaded wholesale.
  useEffect(() => {
    const stops = [
      onSyncUpdate((update) => {
        if (update.type === "connection") {
          const { type: _type, ...state } = update;
          setConnection(state as ConnectionState);
          return;
        }
        if (update.type === "history_pruned") {
          const before = update.before_ms;
          setHistoryBefore((prev) => Math.max(prev ?? before, before));
          return;
        }
        if (update.unapplied > 0) setUnapplied((n) => n + update.unapplied);
        setConversations((prev) =>
          prev.state === "ready" ? { state: "ready", value: mergeConversations(prev.value, update.conversations, update.removed) } : prev,
        );
        const open = selectedRef.current;
        if (open === null) return;
        // The open chat merged into another: nothing left to show here.
        if (update.removed?.includes(open)) {
          setSelected(null);
          return;
        }
        // New customer messages in the chat being looked at are read.
        if (update.conversations.some((c) => c.id === open && c.unread_count > 0) && document.hasFocus()) {
          markRead(open);
        }
        if (update.messages_truncated && update.conversations.some((c) => c.id === open)) {
          loadChat(open);
        } else {
          setChat((prev) => mergeLive(prev, update.messages, open));
        }
      }),
      onReload(() => {
        void refresh();
        if (selectedRef.current !== null) loadChat(selectedRef.current);
      }),
      onOutboxChange((change) => {
        setConversations((prev) =>
          prev.state === "ready"
            ? { state: "ready", value: mergeConversations(prev.value, [change.conversation]) }
            : prev,
        );
        const open = selectedRef.current;
        if (open !== null) setChat((prev) => mergeLive(prev, [change.message], open));
      }),
      onSendingState(setSending),
      onOpenConversation((id) => {
        setScreen("inbox");
        setFilter("all");
        setSelected(id);
      }),
      onSessionChanged((s) => {
        setSession(s);
        setConnection(s.connection);
        setSelected(null);
        void refresh();
      }),
    ];
    // Load only once listening: whatever changed before is in what we read,
    // whatever changes after arrives as an event.
    let live = true;
    void Promise.all(stops).then(() => {
      if (!live) return;
      void refresh();
      getSession()
        .then((s) => {
          setSession(s);
          // A live update may have arrived first; it is newer.
          setConnection((current) => current ?? s.connection);
          setSending((current) => current ?? s.sending);
        })
        .catch(() => setSession(null));
    });
    return () => {
      live = false;
      for (const stop of stops) void stop.then((unlisten) => unlisten());
    };
  }, [refresh, loadChat, markRead, setChat]);

  // Whichever way a chat opens, the cursor goes to its row.
  useEffect(() => {
    if (selected !== null) setActive(selected);
  }, [selected]);

  useEffect(() => {
    if (selected !== null) markRead(selected);
  }, [selected, markRead]);

  // The chat loads when it opens, and again for each search hit in it (and
  // when the agent goes back from a hit to the newest messages).
  const anchorKey = anchor !== null && anchor.conversation === selected ? anchor.seq : null;
  useEffect(() => {
    if (selected !== null) loadChat(selected);
  }, [selected, anchorKey, loadChat]);

  // Notifications are worded in the window's language, whatever changes it.
  useEffect(() => {
    const tell = (lang: string) => void setWindowLanguage(lang as Language).catch(() => undefined);
    tell(currentLanguage());
    i18n.on("languageChanged", tell);
    return () => i18n.off("languageChanged", tell);
  }, []);

  // Links and second launches: the shell keeps one notice and pings; the
  // window takes it when pinged and once after it loaded.
  useEffect(() => {
    let live = true;
    const take = () => {
      takeLaunchNotice()
        .then((notice) => {
          if (!live || !notice) return;
          if (typeof notice.open === "number") {
            setScreen("inbox");
            setFilter("all");
            setQuery("");
            setSelected(notice.open);
            setLaunchProblem(null);
          }
          if (notice.problem?.code) setLaunchProblem(notice.problem);
        })
        .catch(() => undefined);
    };
    const stop = onLaunchNotice(take);
    void stop.then(() => live && take());
    return () => {
      live = false;
      void stop.then((unlisten) => unlisten());
    };
  }, []);

  // Once the first conversations are on screen, the shell logs it.
  const shownRef = useRef(false);
  const shownCount = conversations.state === "ready" ? conversations.value.length : 0;
  useEffect(() => {
    if (shownRef.current || shownCount === 0) return;
    shownRef.current = true;
    void inboxShown(shownCount).catch(() => undefined);
  }, [shownCount]);

  // The tray menu speaks the window's language.
  useEffect(() => {
    const send = () =>
      void setTrayTexts({
        open: i18n.t("desktop.tray.open"),
        do_not_disturb: i18n.t("desktop.tray.doNotDisturb"),
        quit: i18n.t("desktop.tray.quit"),
      }).catch(() => undefined);
    send();
    i18n.on("languageChanged", send);
    return () => i18n.off("languageChanged", send);
  }, []);

  // The language the agent chose in Settings, else the system's.
  useEffect(() => {
    getLanguagePreference()
      .then((lang) => {
        // Should its texts not load, the window stays as it is.
        if (lang) return setLanguage(lang as Language);
      })
      .catch(() => undefined);
  }, []);

  /** A connection was made or changed: show its inbox. */
  const connected = (s: SessionInfo) => {
    setSession(s);
    setConnection(s.connection);
    setSending(s.sending);
    if (s.mode === "connected") setScreen("inbox");
    void refresh();
  };

  const tryDemo = async () => {
    setStartingDemo(true);
    setDemoError(null);
    try {
      const s = await startDemo();
      setSession(s);
      setConnection(s.connection);
      await refresh();
    } catch (err) {
      setDemoError(errorText(err));
    } finally {
      setStartingDemo(false);
    }
  };

  const all = conversations.state === "ready" ? conversations.value : [];
  // Each conversation's status now: a snooze whose time passed is open again
  // as the clock ticks.
  const statusNow = (id: ConversationId) => effectiveStatus(statuses.get(id), now);
  const statusCounts: Record<StatusView, number> = { open: 0, snoozed: 0, resolved: 0 };
  for (const c of all) statusCounts[viewOf(statusNow(c.id))] += 1;
  const inView = all.filter((c) => viewOf(statusNow(c.id)) === statusView);
  const pending = new Set(inView.filter((c) => statusNow(c.id) === "pending").map((c) => c.id));
  const byFilter =
    filter === "closing"
      ? inView.filter((c) => serviceWindow(c.last_inbound_at, now).state === "closing")
      : filter === "leads"
        ? inView.filter((c) => c.lead !== null)
        : filter === "mine"
          ? inView.filter((c) => me !== null && owners.get(c.id) === me)
          : filter === "unassigned"
            ? inView.filter((c) => !owners.has(c.id))
            : inView;
  const list = labelFilter === null ? byFilter : byFilter.filter((c) => labels.get(c.id)?.includes(labelFilter));
  const open = all.find((c) => c.id === selected) ?? null;
  const ids = list.map((c) => c.id);

  const openChat = (id: ConversationId) => {
    setScreen("inbox");
    setAnchor(null);
    setSelected(id);
  };

  const canSend = session?.mode === "demo" || session?.mode === "connected";
  const accountHealth = useAccountHealth(canSend);

  /** The first template to a new number went into the outbox with its conversation. */
  const started = ({ conversation, queued }: Started) => {
    setConversations((prev) =>
      prev.state === "ready" ? { state: "ready", value: mergeConversations(prev.value, [conversation]) } : prev,
    );
    setQuery("");
    setFilter("all");
    setLabelFilter(null);
    openChat(conversation.id);
    setChat((prev) => mergeLive(prev, [queued.message], conversation.id));
  };

  /**
   * The agent queued a message in the open chat: it joins the newest
   * messages, read again first when the chat shows older ones.
   */
  const onQueuedMessage = (id: ConversationId, m: Message) => {
    if (chat.conversation === id && chat.newer) {
      setAnchor(null);
      openPage(id, { at: "newest" });
    } else {
      setChat((prev) => mergeLive(prev, [m], id));
    }
  };

  /** Opens a hit's conversation at the message or note that matched. */
  const openHit = (hit: SearchHit) => {
    setScreen("inbox");
    setAnchor((prev) => ({
      conversation: hit.conversation_id,
      messageId: hit.kind === "message" ? hit.message_id : null,
      noteId: hit.kind === "note" ? hit.note_id : null,
      at: hit.at,
      seq: (prev?.seq ?? 0) + 1,
    }));
    setSelected(hit.conversation_id);
  };

  /** Opens a conversation at a message (the contact panel's history). */
  const openMessage = (conversation: ConversationId, messageId: MessageId) => {
    setScreen("inbox");
    setAnchor((prev) => ({ conversation, messageId, noteId: null, seq: (prev?.seq ?? 0) + 1 }));
    setSelected(conversation);
  };

  /** Back from a search hit to the newest messages of the open chat. */
  const showNewest = () => setAnchor(null);

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (hits.length === 0) return;
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      const next = Math.min(hits.length - 1, Math.max(0, hitCursor + step));
      setCursor({ of: found, index: next });
      document.getElementById(hitId(next))?.scrollIntoView({ block: "nearest" });
    } else if (e.key === "Enter") {
      const hit = hits[hitCursor];
      if (!hit) return;
      e.preventDefault();
      openHit(hit);
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (query !== "") setQuery("");
      else focusList();
    }
  };

  // `preventScroll`: the list is as tall as all its rows; focusing it must
  // not scroll it back to the top.
  const focusList = (): boolean => {
    if (!listRef.current) return false;
    listRef.current.focus({ preventScroll: true });
    return true;
  };

  const focusSearch = (): boolean => {
    const input = searchRef.current;
    if (!input) return false;
    setScreen("inbox");
    input.focus();
    input.select();
    return true;
  };

  const runShortcut = (action: Action): boolean => {
    switch (action) {
      case "next":
      case "previous":
      case "first":
      case "last": {
        const to = moveCursor(ids, active, selected, action);
        if (to === null) return false;
        // Focus first: the list's focus handler places the cursor only when
        // it has none, and this move comes after it.
        focusList();
        setActive(to);
        return true;
      }
      case "open": {
        if (active === null || !ids.includes(active)) return false;
        openChat(active);
        return true;
      }
      case "reply":
        return chatRef.current?.focusComposer() ?? false;
      case "templates":
        return chatRef.current?.openTemplates() ?? false;
      case "resolve":
      case "snooze":
      case "reopen":
        return screen === "inbox" ? (chatRef.current?.status(action) ?? false) : false;
      case "filterAll":
        setFilter("all");
        return true;
      case "filterLeads":
        setFilter("leads");
        return true;
      case "filterClosing":
        setFilter("closing");
        return true;
      case "search":
        return focusSearch();
      case "newConversation":
        if (!canSend) return false;
        setShowNew(true);
        return true;
      case "help":
        setShowShortcuts(true);
        return true;
      case "leaveComposer":
        if (!focusList() && document.activeElement instanceof HTMLElement) document.activeElement.blur();
        return true;
      case "close":
        if (screen === "inbox") return false;
        setScreen("inbox");
        return true;
    }
  };
  useShortcuts(runShortcut, () => ({ list: listRef.current, composer: chatRef.current?.composer() ?? null }));

  return (
    <div className="app">
      <aside className="sidebar">
        <header className="sidebar-header">
          <h1 className="brand">Hourglass</h1>
          {session?.mode === "demo" && (
            <span className="demo-badge" data-testid="demo-badge" title={t("app.demoBadgeHint")}>
              {t("app.demoBadge")}
            </span>
          )}
          {connection && <ConnectionBadge connection={connection} />}
          {canSend && (
            <button
              type="button"
              className="new-conversation-button"
              data-testid="new-conversation"
              aria-label={t("outreach.open")}
              title={t("outreach.openHint")}
              aria-keyshortcuts={combosFor(["newConversation"]).map((c) => ariaKeys(c, mac)).join(" ")}
              onClick={() => setShowNew(true)}
            >
              <span aria-hidden="true">+</span>
            </button>
          )}
        </header>
        {session?.problem && (
          <div className="session-problem" role="alert" data-testid="session-problem">
            {session.problem.message}{" "}
            <button type="button" className="link" onClick={() => setScreen("settings")}>
              {t("app.openSettings")}
            </button>
          </div>
        )}
        {launchProblem && (
          <div className="sending-stopped" role="alert" data-testid="launch-problem" data-code={launchProblem.code}>
            {problemText({
              code: launchProblem.code,
              params: { detail: launchProblem.detail },
              message: t("desktop.link.unknown"),
            })}{" "}
            <button type="button" className="link" onClick={() => setLaunchProblem(null)}>
              {t("desktop.link.dismiss")}
            </button>
          </div>
        )}
        {sending?.state === "token_invalid" && (
          <div className="sending-stopped" role="alert" data-testid="sending-stopped">
            <strong>{t("app.sendingPaused")}</strong> {sending.message} {t("app.sendingPausedDetail")}
          </div>
        )}
        {historyBefore !== null && (
          <div className="sending-stopped" role="alert" data-testid="history-pruned">
            {t("app.historyPruned", { date: fullTime(Math.floor(historyBefore / 1000)) })}{" "}
            <button type="button" className="link" onClick={() => setHistoryBefore(null)}>
              {t("app.dismiss")}
            </button>
          </div>
        )}
        <AccountHealthBanner
          health={accountHealth.health}
          onOpen={() => setScreen("health")}
          onDismiss={(through) =>
            void dismissHealthAlerts(through)
              .then(accountHealth.setHealth)
              .catch(() => accountHealth.reload())
          }
        />
        {unapplied > 0 && (
          <div className="sending-stopped" role="alert" data-testid="sync-unapplied">
            {t("app.unapplied", { count: unapplied })}{" "}
            <button type="button" className="link" onClick={() => setUnapplied(0)}>
              {t("app.dismiss")}
            </button>
          </div>
        )}
        {conversations.state === "ready" && all.length > 0 && (
          <SearchBox
            query={query}
            onQuery={setQuery}
            inputRef={searchRef}
            onKeyDown={onSearchKey}
            activeId={hits.length > 0 ? hitId(hitCursor) : undefined}
          />
        )}
        <nav className="filters status-filters" aria-label={t("status.filtersLabel")}>
          {STATUS_VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              className={statusView === v.id ? "filter active" : "filter"}
              data-testid={`filter-${v.id}`}
              data-count={statusCounts[v.id]}
              aria-pressed={statusView === v.id}
              title={t(`status.${v.hint}`)}
              onClick={() => setStatusView(v.id)}
            >
              {t(`status.${v.id}`)}
              <span className="status-count">{statusCounts[v.id]}</span>
            </button>
          ))}
        </nav>
        <nav className="filters" aria-label={t("app.filtersLabel")}>
          {FILTERS.map((f) => (
            <button
              key={f.id}
              type="button"
              className={filter === f.id ? "filter active" : "filter"}
              data-testid={`filter-${f.id}`}
              aria-pressed={filter === f.id}
              aria-keyshortcuts={combosFor([FILTER_ACTIONS[f.id]]).map((c) => ariaKeys(c, mac)).join(" ")}
              title={t(`app.filters.${f.id}.hint`)}
              onClick={() => setFilter(f.id)}
            >
              {t(`app.filters.${f.id}.label`)}
            </button>
          ))}
          {session && session.mode !== "unconfigured" &&
            TEAM_FILTERS.map((f) => (
              <button
                key={f.id}
                type="button"
                className={filter === f.id ? "filter active" : "filter"}
                data-testid={`filter-${f.id}`}
                aria-pressed={filter === f.id}
                title={t(`team.${f.label}Hint`)}
                onClick={() => setFilter(f.id)}
              >
                {t(`team.${f.label}`)}
              </button>
            ))}
          {(allLabels.length > 0 || labelFilter !== null) && (
            <label className="label-filter" title={t("team.labelFilter")}>
              <span className="visually-hidden">{t("team.labelFilter")}</span>
              <select
                data-testid="filter-label"
                value={labelFilter ?? ""}
                onChange={(e) => setLabelFilter(e.target.value === "" ? null : e.target.value)}
              >
                <option value="">{t("team.labelAny")}</option>
                {[...new Set([...allLabels, ...(labelFilter ? [labelFilter] : [])])].map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
          )}
        </nav>
        {/* The body takes the free height whatever it shows, so the tools
            below stay put while the inbox loads and fills. */}
        <div className="sidebar-body">
          {query.trim() !== "" && <SearchResultsView search={found} active={hitCursor} onOpen={openHit} />}
          {query.trim() === "" && conversations.state === "loading" && <p className="muted centered">{t("app.loading")}</p>}
          {query.trim() === "" && conversations.state === "failed" && (
            <div className="inline-error" role="alert" data-testid="inbox-error">
              <p>{t("app.loadFailed")}</p>
              <p>{conversations.message}</p>
              {!PERMANENT.has(conversations.code) && (
                <button type="button" onClick={() => void refresh()}>
                  {t("app.tryAgain")}
                </button>
              )}
            </div>
          )}
          {query.trim() === "" && conversations.state === "ready" && all.length > 0 && list.length === 0 && (
            <div className="empty-state" data-testid="filter-empty">
              <p className="muted">{t("app.filterEmpty")}</p>
            </div>
          )}
          {query.trim() === "" && conversations.state === "ready" && all.length === 0 && (
            <div className="empty-state" data-testid="inbox-empty">
              <p className="empty-title">{t("app.emptyTitle")}</p>
              <p className="muted">{t("app.emptyHint")}</p>
              {session?.mode === "unconfigured" && (
                <div className="welcome-actions">
                  <button
                    type="button"
                    className="primary"
                    data-testid="start-demo"
                    disabled={startingDemo}
                    onClick={() => void tryDemo()}
                  >
                    {startingDemo ? t("app.startingDemo") : t("app.tryDemo")}
                  </button>
                  <p className="muted small">
                    {t("app.demoHint")}
                  </p>
                  <button type="button" data-testid="start-connect" onClick={() => setScreen("connect")}>
                    {t("app.connectNumber")}
                  </button>
                  <p className="muted small">{t("app.connectHint")}</p>
                  {demoError && (
                    <p className="inline-error" role="alert">
                      {demoError}
                    </p>
                  )}
                </div>
              )}
            </div>
          )}
          {query.trim() === "" && list.length > 0 && (
            <ConversationList
              conversations={list}
              owners={owners}
              pending={pending}
              me={me}
              selected={selected}
              onSelect={openChat}
              active={active}
              onPoint={setActive}
              listRef={listRef}
              onFocus={() => setActive((current) => landCursor(ids, current, selected))}
            />
          )}
        </div>
        <div className="sidebar-tools">
          <button type="button" data-testid="open-reports" onClick={() => setScreen("reports")}>
            {t("reports.open")}
          </button>
          {canSend && (
            <button type="button" data-testid="open-account-health" onClick={() => setScreen("health")}>
              {t("health.open")}
            </button>
          )}
          <button type="button" data-testid="open-lead-links" onClick={() => setScreen("lead-links")}>
            {t("app.leadLinks")}
          </button>
          <button type="button" data-testid="open-notification-settings" onClick={() => setScreen("notifications")}>
            {t("app.notifications")}
          </button>
          <button type="button" data-testid="open-settings" onClick={() => setScreen("settings")}>
            {t("app.settings")}
          </button>
          <button
            type="button"
            data-testid="open-shortcuts"
            aria-label={t("shortcuts.open")}
            aria-keyshortcuts={combosFor(["help"]).map((c) => ariaKeys(c, mac)).join(" ")}
            title={t("shortcuts.open")}
            onClick={() => setShowShortcuts(true)}
          >
            ?
          </button>
        </div>
        <UpdateCheck />
      </aside>
      <main className="main">
        {screen === "connect" ? (
          <div className="connect-screen" data-testid="connect-screen">
            <h2>{t("app.connectNumber")}</h2>
            <ConnectForm onConnected={connected} onCancel={() => setScreen("inbox")} />
          </div>
        ) : screen === "settings" ? (
          <SettingsScreen session={session} onSession={connected} onClose={() => setScreen("inbox")} />
        ) : screen === "notifications" ? (
          <NotificationSettingsPanel onClose={() => setScreen("inbox")} />
        ) : screen === "reports" ? (
          <Suspense fallback={<p className="muted centered">{t("reports.loading")}</p>}>
            <ReportsScreen me={me} onOpenConversation={openChat} onClose={() => setScreen("inbox")} />
          </Suspense>
        ) : screen === "health" ? (
          <AccountHealthPanel
            health={accountHealth.health}
            error={accountHealth.error}
            onHealth={accountHealth.setHealth}
            onClose={() => setScreen("inbox")}
          />
        ) : screen === "lead-links" ? (
          <LeadLinks businessNumber={session?.business_number ?? null} onClose={() => setScreen("inbox")} />
        ) : open ? (
          <ChatPane
            ref={chatRef}
            key={open.id}
            conversation={open}
            onConversation={(c) =>
              setConversations((prev) =>
                prev.state === "ready" ? { state: "ready", value: mergeConversations(prev.value, [c]) } : prev,
              )
            }
            messages={chat.conversation === open.id ? chat.messages : []}
            older={chat.conversation === open.id && chat.older}
            newer={chat.conversation === open.id && chat.newer}
            onMore={pages.more}
            anchor={anchor?.conversation === open.id ? anchor : null}
            onShowNewest={showNewest}
            onOpenMessage={openMessage}
            me={me}
            error={chatError}
            canSend={canSend}
            onQueued={(m) => onQueuedMessage(open.id, m)}
          />
        ) : (
          <div className="empty-state" data-testid="chat-empty">
            <p className="empty-title">{t("app.pickTitle")}</p>
            <p className="muted">{t("app.pickHint")}</p>
          </div>
        )}
      </main>
      {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
      {showNew && (
        <NewConversationDialog
          onClose={() => setShowNew(false)}
          onOpen={(id) => {
            setShowNew(false);
            setQuery("");
            setFilter("all");
            setLabelFilter(null);
            openChat(id);
          }}
          onStarted={started}
        />
      )}
    </div>
  );
}
