import { useEffect, useState } from "react";
import "../calls.css";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { ThreadOwner } from "../bindings/ThreadOwner";
import { useTranslation } from "../lib/i18n";
import { takeOver } from "../lib/ipc";
import { errorText } from "../lib/i18n/problem";

/**
 * Who answers the conversation under Meta's conversation routing, and
 * "Take over" while Meta's AI agent does. Nothing while Meta has said
 * nothing (the team answers, as always). A take-over is handed back to the
 * list, so a later handover to the AI agent shows as a change.
 */
export function OwnerBar({
  conversation,
  canSend,
  onUpdated,
}: {
  conversation: ConversationSummary;
  canSend: boolean;
  /** The row as it is once taken over, for the conversation list. */
  onUpdated?: (conversation: ConversationSummary) => void;
}) {
  const { t } = useTranslation();
  const [owner, setOwner] = useState<ThreadOwner | null>(conversation.owner ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setOwner(conversation.owner ?? null);
    setError(null);
  }, [conversation.id, conversation.owner]);
  if (owner === null) return null;
  const take = () => {
    setBusy(true);
    setError(null);
    takeOver(conversation.id)
      .then((updated) => {
        setOwner(updated.owner ?? "app");
        onUpdated?.(updated);
      })
      .catch((err: unknown) => setError(errorText(err)))
      .finally(() => setBusy(false));
  };
  return (
    <div className={`owner-bar ${owner}`} data-testid="owner-bar">
      <span className="owner" data-testid="thread-owner" data-owner={owner}>
        {t(`calls.owner.${owner}`)}
      </span>
      {owner === "ai_agent" && canSend && (
        <button type="button" className="link-button" data-testid="take-over" title={t("calls.takeOverHint")} disabled={busy} onClick={take}>
          {busy ? t("calls.takingOver") : t("calls.takeOver")}
        </button>
      )}
      {error && (
        <p className="owner-error" role="alert" data-testid="take-over-error">
          {t("calls.takeOverFailed", { reason: error })}
        </p>
      )}
    </div>
  );
}
