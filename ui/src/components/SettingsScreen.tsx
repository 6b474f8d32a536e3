import { useEffect, useState } from "react";
import type { ConnectionView } from "../bindings/ConnectionView";
import type { SessionInfo } from "../bindings/SessionInfo";
import type { TokenKind } from "../bindings/TokenKind";
import {
  disconnect,
  forgetToken,
  getConnection,
  getTypingIndicator,
  setLanguagePreference,
  setTypingIndicator,
} from "../lib/ipc";
import { LANGUAGES, currentLanguage, setLanguage, useTranslation, type Language } from "../lib/i18n";
import { ConnectForm } from "./ConnectForm";
import { ContactFieldSettings } from "./ContactFieldSettings";
import { DesktopSettingsSection } from "./DesktopSettings";
import { DefaultCountrySetting } from "./NewConversation";
import { CannedSettings, LeadPatternSettings, RateTableSettings } from "./InboxSettings";
import { errorText } from "../lib/i18n/problem";
import "../screens.css";
import "../team.css";

type Props = {
  session: SessionInfo | null;
  onSession: (session: SessionInfo) => void;
  onClose: () => void;
};

/**
 * Settings: the connection (replace or forget each token, disconnect) and
 * the window's language. The theme follows the system's light or dark mode.
 */
export function SettingsScreen({ session, onSession, onClose }: Props) {
  const { t } = useTranslation();
  const [view, setView] = useState<ConnectionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [language, setLang] = useState<Language>(currentLanguage());

  async function reload() {
    try {
      setView(await getConnection());
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }

  useEffect(() => {
    void reload();
  }, []);

  async function act(action: () => Promise<SessionInfo>) {
    try {
      onSession(await action());
      await reload();
    } catch (err) {
      setError(errorText(err));
    }
  }

  const forget = (kind: TokenKind) => void act(() => forgetToken(kind));
  const demo = session?.mode === "demo";

  return (
    <section className="settings" data-testid="settings" aria-labelledby="settings-title">
      <header className="settings-header">
        <h2 id="settings-title">{t("settings.title")}</h2>
        <button type="button" onClick={onClose} data-testid="settings-close">
          {t("common.close")}
        </button>
      </header>

      <section className="settings-section" aria-labelledby="settings-language">
        <h3 id="settings-language">{t("settings.language")}</h3>
        <select
          data-testid="settings-language"
          value={language}
          onChange={(e) => {
            const lang = e.target.value as Language;
            setLang(lang);
            void setLanguage(lang).catch(() => {
              setLang(currentLanguage());
              setError(t("settings.languageUnavailable"));
            });
            void setLanguagePreference(lang).catch((err: unknown) =>
              setError(errorText(err)),
            );
          }}
        >
          {LANGUAGES.map((l) => (
            <option key={l.code} value={l.code}>
              {l.label}
            </option>
          ))}
        </select>
        <p className="muted small">{t("settings.theme")}</p>
      </section>

      <DefaultCountrySetting />
      <TypingIndicatorSetting />
      <DesktopSettingsSection />

      {session && session.mode !== "unconfigured" && <CannedSettings />}
      {session && session.mode !== "unconfigured" && <ContactFieldSettings />}
      <LeadPatternSettings />
      <RateTableSettings />

      <section className="settings-section" aria-labelledby="settings-connection">
        <h3 id="settings-connection">{t("settings.connection")}</h3>
        {demo && <p className="muted">{t("settings.demoConnection")}</p>}
        {error && (
          <p className="inline-error" role="alert" data-testid="settings-error">
            {error}
          </p>
        )}
        {view?.settings && (
          <dl className="settings-facts" data-testid="settings-connection">
            <dt>{t("settings.number")}</dt>
            <dd>{view.display_phone_number ?? view.settings.phone_number_id}</dd>
            <dt>{t("connect.field.relay_url.label")}</dt>
            <dd>{view.settings.relay_url}</dd>
            <dt>{t("connect.field.relay_token.label")}</dt>
            <dd data-testid="settings-relay-token">
              {view.relay_token_saved ? t("settings.tokenSaved") : t("settings.tokenMissing")}
              {view.relay_token_saved && (
                <button type="button" className="link" data-testid="forget-relay-token" onClick={() => forget("relay_token")}>
                  {t("settings.forget")}
                </button>
              )}
            </dd>
            <dt>{t("connect.field.access_token.label")}</dt>
            <dd data-testid="settings-access-token">
              {view.access_token_saved ? t("settings.tokenSaved") : t("settings.tokenMissing")}
              {view.access_token_saved && (
                <button type="button" className="link" data-testid="forget-access-token" onClick={() => forget("access_token")}>
                  {t("settings.forget")}
                </button>
              )}
            </dd>
          </dl>
        )}
        {!demo && view && (
          <>
            <p className="muted small">{view.settings ? t("settings.replaceHint") : t("settings.notConnected")}</p>
            <ConnectForm key={JSON.stringify(view)} existing={view} onConnected={(s) => void act(async () => s)} />
          </>
        )}
        {!demo && view?.settings && (
          <button type="button" className="danger" data-testid="disconnect" onClick={() => void act(disconnect)}>
            {t("settings.disconnect")}
          </button>
        )}
      </section>
    </section>
  );
}

/** Meta's typing indicator to customers: on unless the agent turns it off. */
function TypingIndicatorSetting() {
  const { t } = useTranslation();
  const [on, setOn] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getTypingIndicator().then(setOn, (err: unknown) => setError(String(err)));
  }, []);
  const change = (next: boolean) => {
    setTypingIndicator(next).then(
      (saved) => {
        setOn(saved);
        setError(null);
      },
      (err: unknown) => setError(errorText(err)),
    );
  };
  return (
    <section className="settings-section" aria-labelledby="settings-typing">
      <h3 id="settings-typing">{t("settings.typingTitle")}</h3>
      <label>
        <input
          type="checkbox"
          data-testid="setting-typing-indicator"
          checked={on ?? false}
          disabled={on === null}
          onChange={(e) => change(e.target.checked)}
        />{" "}
        {t("settings.typing")}
      </label>
      <p className="muted small">{t("settings.typingHint")}</p>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
