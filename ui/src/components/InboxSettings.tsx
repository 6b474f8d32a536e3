import { useEffect, useState } from "react";
import type { CategoryRates } from "../bindings/CategoryRates";
import type { LeadPatternView } from "../bindings/LeadPatternView";
import type { RateTable } from "../bindings/RateTable";
import type { CannedResponse } from "../bindings/CannedResponse";
import {
  deleteCanned,
  getLeadPattern,
  getRateTable,
  listCanned,
  saveCanned,
  setLeadPattern,
  setRateTable,
} from "../lib/ipc";
import { useTranslation } from "../lib/i18n";
import { errorText } from "../lib/i18n/problem";

const message = (err: unknown) => (errorText(err));

/** The partner-code pattern that finds `Code: ABC123` in a lead's first message. */
export function LeadPatternSettings() {
  const { t } = useTranslation();
  const [view, setView] = useState<LeadPatternView | null>(null);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const show = (v: LeadPatternView) => {
    setView(v);
    setDraft(v.pattern);
    setError(null);
  };

  useEffect(() => {
    getLeadPattern().then(show, (err: unknown) => setError(message(err)));
  }, []);

  async function save(pattern: string | null) {
    setSaved(false);
    try {
      show(await setLeadPattern(pattern));
      setSaved(true);
    } catch (err) {
      setError(message(err));
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-lead-pattern">
      <h3 id="settings-lead-pattern">{t("settings.leadPattern.title")}</h3>
      <p className="muted small">{t("settings.leadPattern.help")}</p>
      <input
        className="settings-input mono"
        data-testid="lead-pattern-input"
        spellCheck={false}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          setSaved(false);
        }}
        aria-label={t("settings.leadPattern.title")}
      />
      <div className="connect-actions">
        <button type="button" data-testid="lead-pattern-save" onClick={() => void save(draft)} disabled={!view || draft === view.pattern}>
          {t("settings.save")}
        </button>
        <button type="button" data-testid="lead-pattern-reset" onClick={() => void save(null)} disabled={!view || view.is_default}>
          {t("settings.resetDefault")}
        </button>
      </div>
      {saved && (
        <p className="muted small" role="status" data-testid="lead-pattern-saved">
          {t("settings.saved")}
        </p>
      )}
      {error && (
        <p className="inline-error" role="alert" data-testid="lead-pattern-error">
          {error}
        </p>
      )}
    </section>
  );
}

const CATEGORIES: readonly (keyof CategoryRates)[] = ["marketing", "utility", "authentication", "service"];

type Row = { code: string; rates: CategoryRates };

function rowsOf(table: RateTable): Row[] {
  return Object.entries(table.countries).flatMap(([code, rates]) => (rates ? [{ code, rates }] : []));
}

/** The per-country prices of delivered templates that cost estimates use. */
export function RateTableSettings() {
  const { t } = useTranslation();
  const [table, setTable] = useState<RateTable | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const show = (next: RateTable) => {
    setTable(next);
    setRows(rowsOf(next));
    setError(null);
  };

  useEffect(() => {
    getRateTable().then(show, (err: unknown) => setError(message(err)));
  }, []);

  async function save(next: RateTable | null) {
    setSaved(false);
    try {
      show(await setRateTable(next));
      setSaved(true);
    } catch (err) {
      setError(message(err));
    }
  }

  if (!table) {
    return error ? (
      <p className="inline-error" role="alert">
        {error}
      </p>
    ) : null;
  }

  const edit = (index: number, change: (row: Row) => Row) => {
    setSaved(false);
    setRows((prev) => prev.map((r, i) => (i === index ? change(r) : r)));
  };
  const rateInput = (value: number, onChange: (v: number) => void, label: string, testid?: string) => (
    <input
      type="number"
      min={0}
      step="0.0001"
      className="rate-input"
      aria-label={label}
      data-testid={testid}
      value={Number.isFinite(value) ? value : ""}
      onChange={(e) => onChange(e.target.value === "" ? Number.NaN : Number(e.target.value))}
    />
  );

  const submit = () => {
    const all = [...rows.map((r) => r.rates), table.other];
    if (all.some((r) => CATEGORIES.some((c) => !Number.isFinite(r[c]) || r[c] < 0))) {
      setError(t("settings.rates.invalid"));
      return;
    }
    const allowance = table.service_free_per_month;
    if (!Number.isInteger(allowance) || allowance < 0) {
      setError(t("settings.rates.serviceFreeInvalid"));
      return;
    }
    const countries: Record<string, CategoryRates> = {};
    for (const row of rows) countries[row.code.trim().replace(/^\+/, "")] = row.rates;
    void save({ ...table, countries });
  };

  return (
    <section className="settings-section" aria-labelledby="settings-rates">
      <h3 id="settings-rates">{t("settings.rates.title")}</h3>
      <p className="muted small">{t("settings.rates.help")}</p>
      <label className="connect-field">
        <span className="connect-label">{t("settings.rates.currency")}</span>
        <input
          className="settings-input"
          data-testid="rates-currency"
          value={table.currency}
          maxLength={3}
          onChange={(e) => {
            setSaved(false);
            setTable({ ...table, currency: e.target.value.toUpperCase() });
          }}
        />
      </label>
      <label className="connect-field">
        <span className="connect-label">{t("settings.rates.serviceFree")}</span>
        <input
          type="number"
          min={0}
          step={1}
          className="settings-input"
          data-testid="rates-service-free"
          value={Number.isFinite(table.service_free_per_month) ? table.service_free_per_month : ""}
          onChange={(e) => {
            setSaved(false);
            setTable({ ...table, service_free_per_month: e.target.value === "" ? Number.NaN : Number(e.target.value) });
          }}
        />
      </label>
      <p className="muted small">{t("settings.rates.serviceHelp")}</p>
      <table className="rate-table" data-testid="rate-table">
        <thead>
          <tr>
            <th scope="col">{t("settings.rates.country")}</th>
            {CATEGORIES.map((c) => (
              <th scope="col" key={c}>
                {t(`settings.rates.${c}`)}
              </th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} data-testid="rate-row" data-code={row.code}>
              <td>
                <input
                  className="code-input"
                  aria-label={t("settings.rates.country")}
                  value={row.code}
                  onChange={(e) => edit(i, (r) => ({ ...r, code: e.target.value }))}
                />
              </td>
              {CATEGORIES.map((c) => (
                <td key={c}>
                  {rateInput(
                    row.rates[c],
                    (v) => edit(i, (r) => ({ ...r, rates: { ...r.rates, [c]: v } })),
                    `+${row.code} ${t(`settings.rates.${c}`)}`,
                    `rate-${row.code}-${c}`,
                  )}
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    setSaved(false);
                    setRows((prev) => prev.filter((_, j) => j !== i));
                  }}
                >
                  {t("settings.rates.remove")}
                </button>
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row">{t("settings.rates.other")}</th>
            {CATEGORIES.map((c) => (
              <td key={c}>
                {rateInput(
                  table.other[c],
                  (v) => {
                    setSaved(false);
                    setTable({ ...table, other: { ...table.other, [c]: v } });
                  },
                  `${t("settings.rates.other")} ${t(`settings.rates.${c}`)}`,
                )}
              </td>
            ))}
            <td />
          </tr>
        </tbody>
      </table>
      <div className="connect-actions">
        <button
          type="button"
          onClick={() => setRows((prev) => [...prev, { code: "", rates: { marketing: 0, utility: 0, authentication: 0, service: 0 } }])}
        >
          {t("settings.rates.add")}
        </button>
        <button type="button" className="primary" data-testid="rates-save" onClick={submit}>
          {t("settings.save")}
        </button>
        <button type="button" data-testid="rates-reset" onClick={() => void save(null)}>
          {t("settings.rates.reset")}
        </button>
      </div>
      {saved && (
        <p className="muted small" role="status" data-testid="rates-saved">
          {t("settings.saved")}
        </p>
      )}
      {error && (
        <p className="inline-error" role="alert" data-testid="rates-error">
          {error}
        </p>
      )}
      <p className="muted small">{table.source}</p>
    </section>
  );
}

/** The team's canned responses: add, edit, delete. */
export function CannedSettings() {
  const { t } = useTranslation();
  const [items, setItems] = useState<CannedResponse[] | null>(null);
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listCanned().then(setItems, (err: unknown) => setError(message(err)));
  }, []);

  async function run(action: Promise<CannedResponse[]>) {
    try {
      setItems(await action);
      setError(null);
      return true;
    } catch (err) {
      setError(message(err));
      return false;
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-canned">
      <h3 id="settings-canned">{t("team.manageTitle")}</h3>
      <p className="muted small">{t("team.manageHelp")}</p>
      <ul className="canned-list" data-testid="canned-list">
        {items?.map((c) => (
          <li key={c.id} data-testid="canned-item">
            <strong>{c.title}</strong> <span className="muted">{c.body}</span>{" "}
            <button type="button" className="link" onClick={() => void run(deleteCanned(c.id))}>
              {t("team.delete")}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="canned-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(saveCanned(null, title, body)).then((ok) => {
            if (ok) {
              setTitle("");
              setBody("");
            }
          });
        }}
      >
        <input
          className="settings-input"
          data-testid="canned-title"
          placeholder={t("team.title")}
          aria-label={t("team.title")}
          value={title}
          maxLength={100}
          onChange={(e) => setTitle(e.target.value)}
        />
        <textarea
          className="settings-input"
          data-testid="canned-body"
          placeholder={t("team.body")}
          aria-label={t("team.body")}
          rows={2}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        <button type="submit" data-testid="canned-add" disabled={!title.trim() || !body.trim()}>
          {t("team.add")}
        </button>
      </form>
      {error && (
        <p className="inline-error" role="alert" data-testid="canned-error">
          {error}
        </p>
      )}
    </section>
  );
}
