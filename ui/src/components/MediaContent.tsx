import { errorText, problemText } from "../lib/i18n/problem";
import "../media.css";
import { useCallback, useEffect, useRef, useState } from "react";
import type { MediaInfo } from "../bindings/MediaInfo";
import type { MediaStatus } from "../bindings/MediaStatus";
import type { MessageId } from "../bindings/MessageId";
import { formatBytes } from "../lib/format/bytes";
import { type TFunction, useTranslation } from "../lib/i18n";
import { fetchMedia, mediaBlobUrl, mediaUrl, openMedia, saveMedia, saveMediaAs } from "../lib/ipc";

// A photo, sticker, video, voice note, audio file or document in a bubble.
// Nothing is downloaded until the bubble comes into view; the file is then
// fetched by the Rust side (checked, cached) and loaded from the cache's own
// scheme by its content hash. Customer text (caption, file name) is rendered
// as text.

type Phase =
  | { step: "waiting" }
  | { step: "loading" }
  | { step: "done"; status: MediaStatus }
  | { step: "error"; message: string };

const SPEEDS = [1, 1.5, 2] as const;

export function MediaContent({ messageId, media }: { messageId: MessageId; media: MediaInfo }) {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ step: "waiting" });
  const box = useRef<HTMLDivElement>(null);

  const load = useCallback(() => {
    setPhase({ step: "loading" });
    fetchMedia(messageId).then(
      (status) => setPhase({ step: "done", status }),
      (err: unknown) => setPhase({ step: "error", message: errorText(err) }),
    );
  }, [messageId]);

  // Fetch once the bubble is in view (a little before, to hide the wait).
  useEffect(() => {
    if (phase.step !== "waiting") return;
    const el = box.current;
    if (!el || typeof IntersectionObserver === "undefined") {
      load();
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          observer.disconnect();
          load();
        }
      },
      { rootMargin: "200px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [phase.step, load]);

  const status = phase.step === "done" ? phase.status : null;
  return (
    <div ref={box} className={`media media-${media.kind}`} data-testid="message-media" data-media-state={status?.state ?? phase.step}>
      {status?.state === "available" ? (
        <Available media={media} hash={status.hash} mimeType={status.mime_type} size={status.size} t={t} />
      ) : status?.state === "unavailable" ? (
        <p className="media-note muted" data-testid="media-unavailable">
          {t("media.unavailable", { kind: kindWord(t, media) })}
        </p>
      ) : status?.state === "failed" || phase.step === "error" ? (
        <Failed
          message={status?.state === "failed" ? problemText(status) : phase.step === "error" ? phase.message : ""}
          retryable={status?.state === "failed" ? status.retryable : true}
          onRetry={load}
          t={t}
        />
      ) : (
        <Pending media={media} t={t} />
      )}
      {media.caption && <p className="message-body">{media.caption}</p>}
    </div>
  );
}

function kindWord(t: TFunction, media: MediaInfo): string {
  if (media.voice) return t("media.kind.voice");
  switch (media.kind) {
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return t(`media.kind.${media.kind}`);
    default:
      return media.kind;
  }
}

function Pending({ media, t }: { media: MediaInfo; t: TFunction }) {
  const sized = media.kind === "image" || media.kind === "sticker" || media.kind === "video";
  return (
    <div className={sized ? "media-pending media-frame" : "media-pending"} aria-busy="true">
      <span className="muted">{t("media.loading", { kind: kindWord(t, media) })}</span>
      {media.filename && <span className="media-filename">{media.filename}</span>}
    </div>
  );
}

function Failed({ message, retryable, onRetry, t }: { message: string; retryable: boolean; onRetry: () => void; t: TFunction }) {
  return (
    <div className="media-note" role="group">
      <p className="message-failure" data-testid="media-failed" title={message}>
        {t("media.failed")}
      </p>
      {retryable ? (
        <button type="button" className="link-button" data-testid="media-retry" onClick={onRetry}>
          {t("media.retry")}
        </button>
      ) : (
        <p className="muted">{message}</p>
      )}
    </div>
  );
}

function Available({ media, hash, mimeType, size, t }: { media: MediaInfo; hash: string; mimeType: string; size: number; t: TFunction }) {
  const url = mediaUrl(hash);
  const [viewing, setViewing] = useState(false);
  switch (media.kind) {
    case "image":
    case "sticker":
      return (
        <>
          <button type="button" className="media-thumb-button" onClick={() => setViewing(true)} title={t("media.open")}>
            <img className={media.kind === "sticker" ? "media-sticker" : "media-thumb"} data-testid="message-image" src={url} alt={media.caption ?? kindWord(t, media)} />
          </button>
          {viewing && <Viewer url={url} hash={hash} name={suggestedName(media, mimeType)} onClose={() => setViewing(false)} t={t} />}
        </>
      );
    case "video":
      return <Player kind="video" hash={hash} media={media} t={t} />;
    case "audio":
      return <Player kind="audio" hash={hash} media={media} t={t} />;
    default:
      return <Document media={media} hash={hash} mimeType={mimeType} size={size} t={t} />;
  }
}

function Player({ kind, hash, media, t }: { kind: "audio" | "video"; hash: string; media: MediaInfo; t: TFunction }) {
  const [duration, setDuration] = useState<number | null>(null);
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    let release: (() => void) | null = null;
    let gone = false;
    mediaBlobUrl(hash).then(
      (blob) => {
        if (gone) blob.release();
        else {
          release = blob.release;
          setUrl(blob.url);
        }
      },
      () => undefined,
    );
    return () => {
      gone = true;
      release?.();
    };
  }, [hash]);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(1);
  const player = useRef<HTMLMediaElement | null>(null);
  const onMeta = (e: React.SyntheticEvent<HTMLMediaElement>) => {
    const d = e.currentTarget.duration;
    setDuration(Number.isFinite(d) && d > 0 ? d : null);
  };
  const nextSpeed = () => {
    const next = SPEEDS[(SPEEDS.indexOf(speed) + 1) % SPEEDS.length] ?? 1;
    setSpeed(next);
    if (player.current) player.current.playbackRate = next;
  };
  return (
    <div className={`media-player media-${kind}`} data-testid={kind === "audio" ? "message-audio" : "message-video"}>
      {kind === "video" ? (
        <video ref={(el) => { player.current = el; }} className="media-frame" controls preload="auto" src={url} onLoadedMetadata={onMeta} onDurationChange={onMeta} />
      ) : (
        <audio ref={(el) => { player.current = el; }} controls preload="auto" src={url} onLoadedMetadata={onMeta} onDurationChange={onMeta} />
      )}
      <span className="media-facts muted">
        {media.voice ? t("media.kind.voice") : kindWord(t, media)}
        {duration !== null && <span data-testid="media-duration"> · {formatDuration(duration)}</span>}
      </span>
      {media.voice && (
        <button type="button" className="link-button media-speed" data-testid="media-speed" onClick={nextSpeed} title={t("media.speed")}>
          {`${speed}×`}
        </button>
      )}
    </div>
  );
}

function Document({ media, hash, mimeType, size, t }: { media: MediaInfo; hash: string; mimeType: string; size: number; t: TFunction }) {
  const name = suggestedName(media, mimeType);
  return (
    <div className="media-document" data-testid="message-document">
      <span className="media-filename">{name}</span>
      <span className="media-facts muted">
        {typeWord(mimeType)} · {formatBytes(size)}
      </span>
      <OpenButton hash={hash} name={name} t={t} />
      <SaveButtons hash={hash} name={name} t={t} />
    </div>
  );
}

/** Opens the document with the computer's own app for its type. */
function OpenButton({ hash, name, t }: { hash: string; name: string; t: TFunction }) {
  const [failed, setFailed] = useState<string | null>(null);
  const open = () => {
    setFailed(null);
    openMedia(hash, name).catch((err: unknown) => setFailed(errorText(err)));
  };
  return (
    <>
      <button type="button" className="link-button" data-testid="media-open" onClick={open}>
        {t("media.open")}
      </button>
      {failed && (
        <span className="message-failure" data-testid="media-open-failed" role="status">
          {failed}
        </span>
      )}
    </>
  );
}

/** "Save a copy" (to Downloads) and "Save as…" (where the system's save dialog says), each saying where the file went. */
function SaveButtons({ hash, name, t }: { hash: string; name: string; t: TFunction }) {
  const [saved, setSaved] = useState<{ ok: boolean; text: string } | null>(null);
  const save = (saving: Promise<string | null>) => {
    saving.then(
      // A cancelled dialog answers null: nothing was saved, and nothing is said.
      (path) => {
        if (path !== null) setSaved({ ok: true, text: t("media.savedTo", { path }) });
      },
      (err: unknown) => setSaved({ ok: false, text: errorText(err) }),
    );
  };
  return (
    <>
      <button type="button" className="link-button" data-testid="media-save" onClick={() => save(saveMedia(hash, name))}>
        {t("media.save")}
      </button>
      <button type="button" className="link-button" data-testid="media-save-as" onClick={() => save(saveMediaAs(hash, name))}>
        {t("media.saveAs")}
      </button>
      {saved && (
        <span className={saved.ok ? "muted" : "message-failure"} data-testid="media-saved" role="status">
          {saved.text}
        </span>
      )}
    </>
  );
}

function Viewer({ url, hash, name, onClose, t }: { url: string; hash: string; name: string; onClose: () => void; t: TFunction }) {
  const [zoom, setZoom] = useState(1);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="media-viewer" role="dialog" aria-modal="true" aria-label={t("media.viewer")} data-testid="media-viewer" onClick={onClose}>
      <div className="media-viewer-bar" onClick={(e) => e.stopPropagation()}>
        <button type="button" data-testid="media-zoom-out" onClick={() => setZoom((z) => Math.max(0.25, z / 1.5))} title={t("media.zoomOut")}>
          −
        </button>
        <span className="media-zoom" data-testid="media-zoom">{Math.round(zoom * 100)}%</span>
        <button type="button" data-testid="media-zoom-in" onClick={() => setZoom((z) => Math.min(8, z * 1.5))} title={t("media.zoomIn")}>
          +
        </button>
        <button type="button" onClick={() => setZoom(1)}>{t("media.actualSize")}</button>
        <SaveButtons hash={hash} name={name} t={t} />
        <button type="button" data-testid="media-viewer-close" onClick={onClose}>
          {t("media.close")}
        </button>
      </div>
      <div className="media-viewer-stage" onClick={(e) => e.stopPropagation()}>
        <img src={url} alt="" style={{ transform: `scale(${zoom})` }} />
      </div>
    </div>
  );
}

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "video/mp4": "mp4",
  "video/3gpp": "3gp",
  "audio/ogg": "ogg",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/aac": "aac",
  "audio/amr": "amr",
  "application/pdf": "pdf",
};

function essence(mimeType: string): string {
  return (mimeType.split(";")[0] ?? "").trim().toLowerCase();
}

/** The customer's file name, else one made from the kind and type. */
export function suggestedName(media: MediaInfo, mimeType: string): string {
  if (media.filename?.trim()) return media.filename.trim();
  const ext = EXTENSIONS[essence(mimeType)];
  return ext ? `${media.kind}.${ext}` : media.kind;
}

/** `PDF`, `PNG`, … from a MIME type; the subtype when nothing shorter is known. */
export function typeWord(mimeType: string): string {
  const e = essence(mimeType);
  const ext = EXTENSIONS[e];
  if (ext) return ext.toUpperCase();
  return e.split("/")[1]?.toUpperCase() || e || "?";
}

/** `0:07`, `1:02:03`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}
