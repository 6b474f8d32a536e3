import { useCallback, useEffect, useRef, useState } from "react";
import type { Collision } from "../bindings/Collision";
import type { ConversationId } from "../bindings/ConversationId";
import type { ConversationPresence } from "../bindings/ConversationPresence";
import { useTranslation } from "../lib/i18n";
import { checkCollision, getPresence, setPresence } from "../lib/ipc";

/** How often the header asks who else is here. */
const POLL_MS = 2_000;
/** How often this agent renews "viewing" (the relay forgets it after 30 s). */
const RENEW_VIEWING_MS = 10_000;
/** Typing is said at most this often (the relay forgets it after 6 s). */
const TYPING_EVERY_MS = 2_000;

/**
 * While a chat is open: tells the team this agent is viewing it (renewed,
 * and "left" when it closes), and follows who else is viewing or typing.
 * Presence is best effort: when the relay cannot be asked, nobody is shown.
 */
export function usePresence(conversationId: ConversationId, enabled: boolean) {
  const [others, setOthers] = useState<ConversationPresence | null>(null);
  const lastTyping = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const show = (p: ConversationPresence) => live && setOthers(p);
    const hide = () => live && setOthers(null);
    let renewedAt = Date.now();
    void setPresence(conversationId, "viewing").then(show, hide);
    const timer = setInterval(() => {
      if (Date.now() - renewedAt >= RENEW_VIEWING_MS) {
        renewedAt = Date.now();
        void setPresence(conversationId, "viewing").then(show, hide);
      } else {
        void getPresence(conversationId).then(show, hide);
      }
    }, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
      void setPresence(conversationId, "left").catch(() => undefined);
    };
  }, [conversationId, enabled]);

  /** Call on each keystroke in the reply box. */
  const typing = useCallback(() => {
    if (!enabled) return;
    const now = Date.now();
    if (now - lastTyping.current < TYPING_EVERY_MS) return;
    lastTyping.current = now;
    void setPresence(conversationId, "typing").then(setOthers, () => undefined);
  }, [conversationId, enabled]);

  /** Call once a reply went out: this agent is back to viewing. */
  const sent = useCallback(() => {
    if (!enabled) return;
    lastTyping.current = 0;
    void setPresence(conversationId, "viewing").then(setOthers, () => undefined);
  }, [conversationId, enabled]);

  return { others, typing, sent };
}

/**
 * The question before a send that might answer the customer twice, for
 * replies and templates alike. `mayGo(anyway)` is true when the send may go
 * ahead: the agent said "Send anyway", or nobody else is typing here or sent
 * to this customer in the last minute. Otherwise it holds the warning in
 * `collisions` and is false. A failed check never stops a send.
 */
export function useCollisionCheck(conversationId: ConversationId | null) {
  const [collisions, setCollisions] = useState<Collision[] | null>(null);
  const mayGo = useCallback(
    async (anyway: boolean) => {
      // A conversation not started yet has nobody on it.
      if (!anyway && conversationId !== null) {
        const found = await checkCollision(conversationId).catch(() => []);
        if (found.length > 0) {
          setCollisions(found);
          return false;
        }
      }
      setCollisions(null);
      return true;
    },
    [conversationId],
  );
  const dismiss = useCallback(() => setCollisions(null), []);
  return { collisions, mayGo, dismiss };
}

/** "Maria is typing…" / "Maria, Ben viewing" in the chat header. */
export function PresenceLine({ others }: { others: ConversationPresence | null }) {
  const { t } = useTranslation();
  if (!others || (others.typing.length === 0 && others.viewing.length === 0)) return null;
  return (
    <div className="presence" data-testid="presence" aria-live="polite">
      {others.typing.map((name) => (
        <span key={`t-${name}`} className="presence-typing" data-testid="presence-typing">
          {t("team.typing", { name })}
        </span>
      ))}
      {others.viewing.length > 0 && (
        <span className="presence-viewing" data-testid="presence-viewing">
          {t("team.viewing", { names: others.viewing.join(", ") })}
        </span>
      )}
    </div>
  );
}

/** The question asked before a reply that might answer the customer twice. */
export function CollisionWarning({
  collisions,
  onSend,
  onCancel,
}: {
  collisions: readonly Collision[];
  onSend: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="collision-warning" role="alertdialog" aria-labelledby="collision-title" data-testid="collision-warning">
      <strong id="collision-title">{t("team.collisionTitle")}</strong>
      <ul>
        {collisions.map((c) => (
          <li key={`${c.kind}-${c.agent}`} data-testid="collision-reason">
            {c.kind === "typing"
              ? t("team.collisionTyping", { name: c.agent })
              : t("team.collisionSent", { name: c.agent, seconds: c.seconds_ago })}
          </li>
        ))}
      </ul>
      <p>{t("team.collisionQuestion")}</p>
      <div className="collision-actions">
        <button type="button" className="primary" data-testid="collision-send" onClick={onSend}>
          {t("team.sendAnyway")}
        </button>
        <button type="button" data-testid="collision-cancel" onClick={onCancel} autoFocus>
          {t("team.dontSend")}
        </button>
      </div>
    </div>
  );
}
