import { useEffect, useState } from "react";
import type { NotificationSettings } from "../bindings/NotificationSettings";
import { getNotificationSettings, setNotificationSettings } from "../lib/ipc";

const OPTIONS: { key: keyof NotificationSettings; label: string; hint: string; testid: string }[] = [
  {
    key: "new_leads",
    label: "New leads",
    hint: "A notification when someone writes for the first time, with where they came from.",
    testid: "setting-new-leads",
  },
  {
    key: "new_messages_in_my_chats",
    label: "New messages in my chats",
    hint: "A notification when a customer in a chat assigned to you writes.",
    testid: "setting-new-messages",
  },
  {
    key: "do_not_disturb",
    label: "Do not disturb",
    hint: "No notifications at all. Unread counts keep growing.",
    testid: "setting-dnd",
  },
];

/** The agent's notification settings; each change applies at once. */
export function NotificationSettingsPanel({ onClose }: { onClose: () => void }) {
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    getNotificationSettings()
      .then(setSettings)
      .catch((err: Error) => setError(err.message));
  }, []);

  const toggle = async (key: keyof NotificationSettings) => {
    if (!settings) return;
    try {
      setSettings(await setNotificationSettings({ ...settings, [key]: !settings[key] }));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section className="lead-links" data-testid="notification-settings" aria-label="Notifications">
      <header className="chat-header">
        <div className="chat-title">
          <h2>Notifications</h2>
          <span className="chat-subtitle">Desktop notifications from Hourglass</span>
        </div>
        <button type="button" onClick={onClose}>
          Close
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
                <strong>{o.label}</strong>
                <span className="muted small"> {o.hint}</span>
              </span>
            </label>
          ))}
      </div>
    </section>
  );
}
