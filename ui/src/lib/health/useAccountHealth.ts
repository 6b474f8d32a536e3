import { useCallback, useEffect, useState } from "react";
import type { AccountHealth } from "../../bindings/AccountHealth";
import { getAccountHealth, onAccountHealthChanged, onSyncUpdate } from "../ipc";
import { errorText } from "../i18n/problem";

export type AccountHealthState = {
  health: AccountHealth | null;
  setHealth: (health: AccountHealth) => void;
  /** Why it could not be read. */
  error: string | null;
  setError: (error: string | null) => void;
  reload: () => void;
};

/**
 * The account's health as stored, reloaded when the sync applies a health
 * webhook or the number's rating was read again. `active` is false while
 * there is no session to read from.
 */
export function useAccountHealth(active: boolean): AccountHealthState {
  const [health, setHealth] = useState<AccountHealth | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    getAccountHealth()
      .then((h) => {
        setHealth(h);
        setError(null);
      })
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  useEffect(() => {
    if (!active) return;
    reload();
    let stopped = false;
    const stops: (() => void)[] = [];
    const keep = (p: Promise<() => void>) =>
      void p.then((stop) => (stopped ? stop() : stops.push(stop))).catch(() => undefined);
    keep(
      onSyncUpdate((update) => {
        if (update.type === "inbox" && (update.health_changed || update.templates_changed)) reload();
      }),
    );
    keep(onAccountHealthChanged(reload));
    return () => {
      stopped = true;
      stops.forEach((stop) => stop());
    };
  }, [active, reload]);

  return { health, setHealth, error, setError, reload };
}
