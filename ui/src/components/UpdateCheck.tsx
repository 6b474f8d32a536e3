import { useEffect, useState } from "react";
import { useTranslation } from "../lib/i18n";
import { CommandError } from "../lib/ipc";
import {
  type AvailableUpdate,
  checkForUpdates,
  installUpdate,
  onUpdateReady,
  pendingUpdate,
} from "../lib/ipc/updater";
import { errorText } from "../lib/i18n/problem";

type Status =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "up_to_date"; current: string }
  | { kind: "available"; update: AvailableUpdate }
  | { kind: "installing"; update: AvailableUpdate }
  | { kind: "failed"; code: string; message: string };

function failure(err: unknown): Status {
  const code = err instanceof CommandError ? err.code : "unknown";
  return { kind: "failed", code, message: errorText(err) };
}

/**
 * "Check for updates" in the sidebar footer, and the small banner the quiet
 * check on start raises when a verified update is ready.
 */
export function UpdateCheck() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [ready, setReady] = useState<AvailableUpdate | null>(null);

  useEffect(() => {
    let live = true;
    let unlisten: (() => void) | undefined;
    // The quiet check may finish before or after this window subscribes.
    onUpdateReady((update) => live && setReady(update))
      .then((stop) => (live ? (unlisten = stop) : stop()))
      .catch(() => {});
    pendingUpdate()
      .then((found) => live && found?.status === "available" && setReady(found))
      .catch(() => {});
    return () => {
      live = false;
      unlisten?.();
    };
  }, []);

  async function check() {
    setStatus({ kind: "checking" });
    try {
      const found = await checkForUpdates();
      if (found.status === "available") {
        setReady(found);
        setStatus({ kind: "available", update: found });
      } else {
        setStatus({ kind: "up_to_date", current: found.current });
      }
    } catch (err) {
      setStatus(failure(err));
    }
  }

  async function install(update: AvailableUpdate) {
    setStatus({ kind: "installing", update });
    try {
      await installUpdate();
    } catch (err) {
      setStatus(failure(err));
    }
  }

  const busy = status.kind === "checking" || status.kind === "installing";
  const showBanner = ready !== null && status.kind === "idle";

  return (
    <footer className="update-check">
      {showBanner && (
        <div className="update-banner" role="status" data-testid="update-banner">
          <span>{t("update.readyToInstall", { version: ready.version })}</span>
          <button type="button" data-testid="update-banner-install" onClick={() => void install(ready)}>
            {t("update.install")}
          </button>
        </div>
      )}
      <button type="button" className="update-check-button" data-testid="update-check" disabled={busy} onClick={() => void check()}>
        {t("update.check")}
      </button>
      {status.kind !== "idle" && (
        <p
          className={status.kind === "failed" ? "update-status failed" : "update-status"}
          role={status.kind === "failed" ? "alert" : "status"}
          data-testid="update-status"
          data-code={status.kind === "failed" ? status.code : undefined}
        >
          {status.kind === "checking" && t("update.checking")}
          {status.kind === "up_to_date" && t("update.upToDate", { version: status.current })}
          {status.kind === "available" && t("update.available", { version: status.update.version })}
          {status.kind === "installing" && t("update.installing", { version: status.update.version })}
          {status.kind === "failed" && status.message}
        </p>
      )}
      {status.kind === "available" && (
        <button type="button" data-testid="update-install" onClick={() => void install(status.update)}>
          {t("update.installAndRestart")}
        </button>
      )}
    </footer>
  );
}
