import { useCallback, useEffect, useRef, useState } from "react";
import type { AttachmentRefusal } from "../bindings/AttachmentRefusal";
import type { MessageId } from "../bindings/MessageId";
import type { StagedAttachment } from "../bindings/StagedAttachment";
import { formatBytes } from "../lib/format/bytes";
import { type TFunction, useTranslation } from "../lib/i18n";
import { discardAttachment, onUploadProgress, stageAttachment, uploadHeaderMedia } from "../lib/ipc";
import { errorText } from "../lib/i18n/problem";

// A file the agent attaches (picked, dropped or pasted): its bytes go to
// the Rust side, which checks them against WhatsApp's limits by their real
// type and keeps them until sent. The preview offers a caption; a file
// WhatsApp would not take is refused here, before anything is uploaded.

/** The largest file WhatsApp takes of any kind (a document); larger ones are not even read. */
const MAX_BYTES = 100 * 1024 * 1024;

export type Attaching =
  | { phase: "checking"; file: File }
  | { phase: "ready"; file: File; staged: StagedAttachment; url: string | null }
  | { phase: "refused"; file: File; message: string };

const MEDIA_KINDS = ["image", "video", "audio", "document", "sticker"] as const;

function kindWord(t: TFunction, kind: string): string {
  return (MEDIA_KINDS as readonly string[]).includes(kind) ? t(`media.kind.${kind as (typeof MEDIA_KINDS)[number]}`) : kind;
}

/** Why WhatsApp would not take a file, in the window's language. */
export function refusalText(t: TFunction, refusal: AttachmentRefusal): string {
  switch (refusal.reason) {
    case "empty":
      return t("attachment.refused.empty");
    case "format":
      return t("attachment.refused.format", { kind: kindWord(t, refusal.kind), type: refusal.mime_type });
    case "too_large":
      return t("attachment.refused.tooLarge", {
        kind: kindWord(t, refusal.kind),
        size: formatBytes(refusal.size),
        limit: formatBytes(refusal.limit),
      });
  }
}

/** The file being attached, checked as soon as it is chosen. */
export function useAttachment() {
  const { t } = useTranslation();
  const [attaching, setAttaching] = useState<Attaching | null>(null);
  const current = useRef<File | null>(null);

  const clear = useCallback(() => {
    current.current = null;
    setAttaching((a) => {
      if (a?.phase === "ready") {
        if (a.url) URL.revokeObjectURL(a.url);
        // Its staged copy goes too, unless the message it was sent in
        // still needs it (the core checks).
        void discardAttachment(a.staged.token).catch(() => undefined);
      }
      return null;
    });
  }, []);

  const attach = useCallback(
    async (file: File) => {
      clear();
      current.current = file;
      if (file.size > MAX_BYTES) {
        const refusal: AttachmentRefusal = { reason: "too_large", kind: "document", limit: MAX_BYTES, size: file.size };
        setAttaching({ phase: "refused", file, message: refusalText(t, refusal) });
        return;
      }
      setAttaching({ phase: "checking", file });
      try {
        const check = await stageAttachment(new Uint8Array(await file.arrayBuffer()));
        if (current.current !== file) return;
        if (check.outcome === "refused") {
          setAttaching({ phase: "refused", file, message: refusalText(t, check.refusal) });
        } else {
          const staged = check.attachment;
          const url = staged.kind === "image" || staged.kind === "sticker" ? URL.createObjectURL(file) : null;
          setAttaching({ phase: "ready", file, staged, url });
        }
      } catch (err) {
        if (current.current !== file) return;
        const reason = errorText(err);
        setAttaching({ phase: "refused", file, message: t("attachment.refused.other", { reason }) });
      }
    },
    [clear, t],
  );

  useEffect(() => clear, [clear]);
  return { attaching, attach, clear };
}

/** The paper-clip button: a native file picker, read by the window, never a path. */
export function AttachButton({ disabled, onFile }: { disabled: boolean; onFile: (file: File) => void }) {
  const { t } = useTranslation();
  return (
    <label className={`composer-attach${disabled ? " disabled" : ""}`} title={t("attachment.attach")}>
      <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />
      </svg>
      <input
        type="file"
        data-testid="composer-attach"
        aria-label={t("attachment.attach")}
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) onFile(file);
        }}
      />
    </label>
  );
}

type PreviewProps = {
  attaching: Attaching;
  caption: string;
  onCaption: (caption: string) => void;
  sending: boolean;
  onSend: () => void;
  onCancel: () => void;
};

/** The file before it goes: a thumbnail or its name, size and kind, a caption, Send and Cancel. */
export function AttachmentPreview({ attaching, caption, onCaption, sending, onSend, onCancel }: PreviewProps) {
  const { t } = useTranslation();
  const staged = attaching.phase === "ready" ? attaching.staged : null;
  const captionless = staged !== null && (staged.kind === "audio" || staged.kind === "sticker");
  return (
    <div className="attachment-preview" data-testid="attachment-preview" role="group" aria-label={t("attachment.preview")}>
      {attaching.phase === "ready" && attaching.url ? (
        <img className="attachment-thumb" src={attaching.url} alt={attaching.file.name} />
      ) : (
        <svg className="attachment-icon" aria-hidden="true" width="36" height="36" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round">
          <path d="M6 2h8l5 5v15H6z" />
          <path d="M14 2v5h5" />
        </svg>
      )}
      <div className="attachment-body">
        <span className="attachment-name" data-testid="attachment-name">
          {attaching.file.name}
        </span>
        <span className="muted attachment-meta">
          {formatBytes(attaching.file.size)}
          {staged && ` · ${kindWord(t, staged.kind)}`}
        </span>
        {attaching.phase === "checking" && <span className="muted">{t("attachment.checking")}</span>}
        {attaching.phase === "refused" && (
          <p className="inline-error" role="alert" data-testid="attachment-error">
            {attaching.message}
          </p>
        )}
        {staged &&
          (captionless ? (
            <span className="muted">{t("attachment.noCaption")}</span>
          ) : (
            <input
              type="text"
              className="attachment-caption"
              data-testid="attachment-caption"
              placeholder={t("attachment.caption")}
              aria-label={t("attachment.caption")}
              maxLength={1024}
              value={caption}
              onChange={(e) => onCaption(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  onSend();
                }
              }}
            />
          ))}
      </div>
      <div className="attachment-actions">
        <button type="button" className="link-button" data-testid="attachment-cancel" onClick={onCancel}>
          {t("attachment.cancel")}
        </button>
        <button type="button" className="primary" data-testid="attachment-send" disabled={!staged || sending} onClick={onSend}>
          {t("attachment.send")}
        </button>
      </div>
    </div>
  );
}

/** The upload bar of a file being sent, fed by the outbox worker. */
export function UploadProgress({ messageId }: { messageId: MessageId }) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    void onUploadProgress((u) => {
      if (u.message === messageId) setProgress({ sent: u.sent, total: u.total });
    }).then((unlisten) => {
      if (gone) unlisten();
      else stop = unlisten;
    });
    return () => {
      gone = true;
      stop?.();
    };
  }, [messageId]);
  return (
    <progress
      className="upload-progress"
      data-testid="upload-progress"
      aria-label={t("attachment.uploading")}
      max={progress?.total || 1}
      value={progress?.sent ?? 0}
    />
  );
}

/**
 * A file for a template's media header (instead of a pasted link): checked
 * for that header, uploaded at once, then named by its media id.
 */
export function HeaderFile({ kind, onUploaded }: { kind: string; onUploaded: (mediaId: string) => void }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ step: "idle" | "uploading" | "done" } | { step: "refused"; message: string }>({ step: "idle" });
  const take = async (file: File) => {
    if (file.size > MAX_BYTES) {
      setState({ step: "refused", message: refusalText(t, { reason: "too_large", kind, limit: MAX_BYTES, size: file.size }) });
      return;
    }
    setState({ step: "uploading" });
    try {
      const answer = await uploadHeaderMedia(new Uint8Array(await file.arrayBuffer()), kind);
      if (answer.outcome === "refused") {
        setState({ step: "refused", message: refusalText(t, answer.refusal) });
      } else {
        setState({ step: "done" });
        onUploaded(answer.media_id);
      }
    } catch (err) {
      const reason = errorText(err);
      setState({ step: "refused", message: t("attachment.refused.other", { reason }) });
    }
  };
  return (
    <div className="header-file">
      <label className="link-button">
        {t("attachment.headerFile", { kind: kindWord(t, kind) })}
        <input
          type="file"
          className="visually-hidden-file"
          data-testid="template-header-file"
          disabled={state.step === "uploading"}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file) void take(file);
          }}
        />
      </label>
      {state.step === "uploading" && <span className="muted"> {t("attachment.uploading")}…</span>}
      {state.step === "done" && (
        <span className="muted" data-testid="template-header-uploaded">
          {" "}
          {t("attachment.headerUploaded")}
        </span>
      )}
      {state.step === "refused" && (
        <p className="inline-error" role="alert" data-testid="attachment-error">
          {state.message}
        </p>
      )}
    </div>
  );
}
