import { useEffect, useState } from "react";
import type { ConversationId } from "../bindings/ConversationId";
import type { ConversationTeam } from "../bindings/ConversationTeam";
import type { TeamAgents } from "../bindings/TeamAgents";
import { formatLocale, useTranslation } from "../lib/i18n";
import {
  addNote,
  assignConversation,
  getConversationTeam,
  listAgents,
  listAssignees,
  listLabels,
  onSyncUpdate,
  setLabel,
} from "../lib/ipc";
import { errorText } from "../lib/i18n/problem";
import { useSynced } from "../lib/sync/useSynced";
import "../team.css";

const message = (err: unknown) => (errorText(err));

/** The conversation's team state, kept fresh as the relay's log arrives. */
export function useConversationTeam(conversationId: ConversationId) {
  const [team, setTeam] = useSynced<ConversationTeam>(conversationId, getConversationTeam);
  return { team, setTeam };
}

/** Told by this window's team actions, so lists refresh at once. */
export const TEAM_CHANGED = "hourglass-team-changed";

export function announce() {
  window.dispatchEvent(new Event(TEAM_CHANGED));
}

/** Who owns which conversation, and this agent's name, kept fresh. */
export function useOwners(mode: string | null) {
  const [owners, setOwners] = useState<Map<ConversationId, string>>(new Map());
  const agents = useAgents(mode);
  useEffect(() => {
    if (mode === null || mode === "unconfigured") {
      setOwners(new Map());
      return;
    }
    const reload = () =>
      listAssignees().then(
        (rows) => setOwners(new Map(rows.map((r) => [r.conversation_id, r.assignee]))),
        () => undefined,
      );
    reload();
    const stop = onSyncUpdate(() => void reload());
    window.addEventListener(TEAM_CHANGED, reload);
    return () => {
      window.removeEventListener(TEAM_CHANGED, reload);
      void stop.then((unlisten) => unlisten());
    };
  }, [mode]);
  return { owners, me: agents?.me ?? null };
}

/** The labels of every conversation, kept current like the owners. */
export function useLabels(mode: string | null): Map<ConversationId, string[]> {
  const [labels, setLabels] = useState<Map<ConversationId, string[]>>(new Map());
  useEffect(() => {
    if (mode === null || mode === "unconfigured") {
      setLabels(new Map());
      return;
    }
    const reload = () =>
      listLabels().then((rows) => {
        const next = new Map<ConversationId, string[]>();
        for (const r of rows) next.set(r.conversation_id, [...(next.get(r.conversation_id) ?? []), r.label]);
        setLabels(next);
      }, () => undefined);
    reload();
    const stop = onSyncUpdate(() => void reload());
    window.addEventListener(TEAM_CHANGED, reload);
    return () => {
      window.removeEventListener(TEAM_CHANGED, reload);
      void stop.then((unlisten) => unlisten());
    };
  }, [mode]);
  return labels;
}

let agentsCache: Promise<TeamAgents> | null = null;

/** The team's agents (asked of the relay once per window). */
export function useAgents(mode: string | null = "session"): TeamAgents | null {
  const [agents, setAgents] = useState<TeamAgents | null>(null);
  useEffect(() => {
    if (mode === null || mode === "unconfigured") {
      agentsCache = null;
      setAgents(null);
      return;
    }
    agentsCache ??= listAgents().catch((err: unknown) => {
      agentsCache = null;
      throw err;
    });
    agentsCache.then(setAgents, () => undefined);
  }, [mode]);
  return agents;
}

type Props = {
  conversationId: ConversationId;
  team: ConversationTeam | null;
  onTeam: (team: ConversationTeam) => void;
};

/** Assignee and labels, for the chat header. */
export function TeamBar({ conversationId, team, onTeam }: Props) {
  const { t } = useTranslation();
  const agents = useAgents();
  const [error, setError] = useState<string | null>(null);
  const [label, setLabelDraft] = useState("");
  const run = (action: Promise<ConversationTeam>) =>
    action.then(
      (next) => {
        setError(null);
        onTeam(next);
        announce();
      },
      (err: unknown) => setError(message(err)),
    );
  const names = agents?.agents ?? (team?.assignee ? [team.assignee] : []);
  return (
    <div className="team-bar">
      <label className="team-assign">
        <span className="visually-hidden">{t("team.assignee")}</span>
        <select
          data-testid="team-assignee"
          value={team?.assignee ?? ""}
          disabled={!team}
          onChange={(e) => void run(assignConversation(conversationId, e.target.value || null))}
        >
          <option value="">{t("team.unassigned")}</option>
          {names.map((name) => (
            <option key={name} value={name}>
              {name === agents?.me ? t("team.me", { name }) : name}
            </option>
          ))}
        </select>
      </label>
      <ul className="team-labels" aria-label={t("team.labels")}>
        {team?.labels.map((l) => (
          <li key={l} className="label-chip" data-testid="label-chip">
            {l}
            <button
              type="button"
              aria-label={t("team.removeLabel", { label: l })}
              onClick={() => void run(setLabel(conversationId, l, false))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        className="label-add"
        onSubmit={(e) => {
          e.preventDefault();
          const value = label.trim();
          if (!value) return;
          void run(setLabel(conversationId, value, true)).then(() => setLabelDraft(""));
        }}
      >
        <input
          data-testid="label-input"
          value={label}
          maxLength={50}
          placeholder={t("team.addLabel")}
          aria-label={t("team.addLabel")}
          onChange={(e) => setLabelDraft(e.target.value)}
        />
      </form>
      {error && (
        <p className="inline-error small" role="alert" data-testid="team-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Writing a private note: the team sees it, the customer never does. */
export function NoteComposer({ conversationId, onTeam }: Omit<Props, "team">) {
  const { t } = useTranslation();
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function save() {
    if (!body.trim()) return;
    setBusy(true);
    try {
      onTeam(await addNote(conversationId, body));
      setBody("");
      setError(null);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="note-composer">
      <textarea
        data-testid="note-input"
        rows={2}
        value={body}
        placeholder={t("team.notePlaceholder")}
        aria-label={t("team.notePlaceholder")}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            void save();
          }
        }}
      />
      <button type="button" data-testid="note-add" disabled={busy || !body.trim()} onClick={() => void save()}>
        {t("team.addNote")}
      </button>
      {error && (
        <p className="inline-error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A private note in the timeline, unmistakably not a message. */
export function NoteBubble({ id, author, body, atMs }: { id?: string; author: string | null; body: string; atMs: number }) {
  const { t } = useTranslation();
  const when = new Date(atMs).toLocaleString(formatLocale(), { dateStyle: "short", timeStyle: "short" });
  return (
    <div className="note-bubble" data-testid="note" data-note-id={id} role="note">
      <div className="note-meta">
        <span className="note-tag">{t("team.privateNote")}</span> {author ?? t("team.someone")} · {when}
      </div>
      <div className="note-body">{body}</div>
    </div>
  );
}
