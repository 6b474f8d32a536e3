import { useEffect, useState } from "react";
import type { DesktopSettings } from "../bindings/DesktopSettings";
import { useTranslation } from "../lib/i18n";
import { copyDiagnostics, getDesktopSettings, setDesktopSettings } from "../lib/ipc";
import { errorText } from "../lib/i18n/problem";

type Copy = { state: "idle" } | { state: "copied" } | { state: "failed" };

/** Settings' "Desktop" section: start at login, close to tray, diagnostics. */
export function DesktopSettingsSection() {
  const { t } = useTranslation();
  const [settings, setSettings] = useState<DesktopSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copy, setCopy] = useState<Copy>({ state: "idle" });

  useEffect(() => {
    getDesktopSettings()
      .then(setSettings)
      .catch((err: unknown) => setError(errorText(err)));
  }, [t]);

  const toggle = async (key: keyof DesktopSettings) => {
    if (!settings) return;
    try {
      setSettings(await setDesktopSettings({ ...settings, [key]: !settings[key] }));
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  };

  const copyToClipboard = async () => {
    try {
      await copyDiagnostics();
      setCopy({ state: "copied" });
    } catch {
      setCopy({ state: "failed" });
    }
  };

  return (
    <section className="settings-section" aria-labelledby="settings-desktop" data-testid="settings-desktop">
      <h3 id="settings-desktop">{t("desktop.title")}</h3>
      {error && (
        <p className="inline-error" role="alert" data-testid="desktop-settings-error">
          {error}
        </p>
      )}
      {settings && (
        <>
          <label className="toggle">
            <input
              type="checkbox"
              data-testid="setting-start-at-login"
              checked={settings.start_at_login}
              onChange={() => void toggle("start_at_login")}
            />
            <span>{t("desktop.startAtLogin")}</span>
          </label>
          <label className="toggle">
            <input
              type="checkbox"
              data-testid="setting-close-to-tray"
              checked={settings.close_to_tray}
              onChange={() => void toggle("close_to_tray")}
            />
            <span>
              {t("desktop.closeToTray")} <span className="muted small">{t("desktop.closeToTrayHint")}</span>
            </span>
          </label>
        </>
      )}
      <button type="button" data-testid="copy-diagnostics" onClick={() => void copyToClipboard()}>
        {t("desktop.diagnostics")}
      </button>
      <p className="muted small">{t("desktop.diagnosticsHint")}</p>
      {copy.state !== "idle" && (
        <p
          className={copy.state === "failed" ? "inline-error" : "muted small"}
          role={copy.state === "failed" ? "alert" : "status"}
          data-testid="diagnostics-status"
          data-state={copy.state}
        >
          {copy.state === "copied" ? t("desktop.diagnosticsCopied") : t("desktop.diagnosticsFailed")}
        </p>
      )}
    </section>
  );
}
