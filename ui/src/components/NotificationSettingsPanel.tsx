import { useEffect, useState } from "react";
import type { NotificationSettings } from "../bindings/NotificationSettings";
import { useTranslation } from "../lib/i18n";
import { getNotificationSettings, onNotificationSettingsChanged, setNotificationSettings } from "../lib/ipc";
import { errorText } from "../lib/i18n/problem";

// `text` names the option's label and hint under `notifications.` in the translations.
const OPTIONS: {
  key: keyof NotificationSettings;
  text: "newLeads" | "newMessages" | "assignedToMe" | "windowReminder" | "missedCalls" | "doNotDisturb";
  testid: string;
}[] = [
  { key: "new_leads", text: "newLeads", testid: "setting-new-leads" },
  { key: "new_messages_in_my_chats", text: "newMessages", testid: "setting-new-messages" },
  { key: "assigned_to_me", text: "assignedToMe", testid: "setting-assigned" },
  { key: "window_reminder", text: "windowReminder", testid: "window-reminder" },
  { key: "missed_calls", text: "missedCalls", testid: "setting-missed-calls" },
  { key: "do_not_disturb", text: "doNotDisturb", testid: "setting-dnd" },
];

/** The agent's notification settings; each change applies at once. */
export function NotificationSettingsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    getNotificationSettings()
      .then(setSettings)
      .catch((err: unknown) => setError(errorText(err)));
    // Do not disturb may be switched from the tray while this is open.
    const stop = onNotificationSettingsChanged(setSettings).catch(() => undefined);
    return () => void stop.then((unlisten) => unlisten?.());
  }, []);

  const toggle = async (key: keyof NotificationSettings) => {
    if (!settings) return;
    try {
      setSettings(await setNotificationSettings({ ...settings, [key]: !settings[key] }));
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section className="lead-links" data-testid="notification-settings" aria-label={t("notifications.title")}>
      <header className="chat-header">
        <div className="chat-title">
          <h2>{t("notifications.title")}</h2>
          <span className="chat-subtitle">{t("notifications.subtitle")}</span>
        </div>
        <button type="button" onClick={onClose}>
          {t("common.close")}
        </button>
      </header>
      <div className="lead-links-body">
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {settings &&
          OPTIONS.map((o) => (
            <label key={o.key} className="toggle">
              <input type="checkbox" data-testid={o.testid} checked={settings[o.key]} onChange={() => void toggle(o.key)} />
              <span>
                <strong>{t(`notifications.${o.text}.label`)}</strong>
                <span className="muted small"> {t(`notifications.${o.text}.hint`)}</span>
              </span>
            </label>
          ))}
      </div>
    </section>
  );
}
