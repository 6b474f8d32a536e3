import { type CSSProperties, type ReactNode, useEffect, useMemo, useState } from "react";
import type { AgentTimes } from "../bindings/AgentTimes";
import type { ConversationId } from "../bindings/ConversationId";
import type { Report } from "../bindings/Report";
import type { ReportFilter } from "../bindings/ReportFilter";
import { type CsvValue, csvFile } from "../lib/csv";
import { formatLocale, useTranslation } from "../lib/i18n";
import { fullTime } from "../lib/format/time";
import { getReport, saveReportCsv } from "../lib/ipc";
import { BarChart, type BarSeries } from "./BarChart";
import { errorText } from "../lib/i18n/problem";
import "../reports.css";

type Props = {
  /** This desktop's agent on the relay, when known. */
  me: string | null;
  onOpenConversation: (id: ConversationId) => void;
  onClose: () => void;
};

/** `YYYY-MM-DD` of a local date. */
function isoDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function lastDays(n: number): { from: string; to: string } {
  const to = new Date();
  const from = new Date(to);
  from.setDate(from.getDate() - (n - 1));
  return { from: isoDay(from), to: isoDay(to) };
}

/** A duration for people: "45 s", "4.5 min", "2.1 h", in the window's language. */
export function duration(seconds: number | null, locale: string = formatLocale()): string {
  if (seconds === null) return "–";
  const unit = (value: number, u: "second" | "minute" | "hour", digits: number) =>
    new Intl.NumberFormat(locale, { style: "unit", unit: u, unitDisplay: "short", maximumFractionDigits: digits }).format(
      value,
    );
  if (seconds < 60) return unit(seconds, "second", 0);
  if (seconds < 3600) return unit(seconds / 60, "minute", 1);
  return unit(seconds / 3600, "hour", 1);
}

type Table = { header: string[]; rows: CsvValue[][] };

/**
 * Reports for the team lead over a date range and, optionally, one agent:
 * conversations opened, response times, busiest hours, missed windows,
 * leads and template spend. Every table can be saved as CSV.
 */
export function ReportsScreen({ me, onOpenConversation, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const locale = formatLocale();
  const [range, setRange] = useState(() => lastDays(30));
  const [agent, setAgent] = useState<string>("");
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const filter: ReportFilter = useMemo(
    () => ({
      from: range.from,
      to: range.to,
      utc_offset_minutes: -new Date().getTimezoneOffset(),
      agent: agent === "" ? null : agent,
      me,
    }),
    [range, agent, me],
  );

  useEffect(() => {
    let live = true;
    setError(null);
    getReport(filter)
      .then((r) => live && setReport(r))
      .catch((err: unknown) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [filter]);

  const money = (amount: number, currency: string) =>
    new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(
      amount,
    );
  const percent = (share: number) => new Intl.NumberFormat(locale, { style: "percent" }).format(share);
  const shortDay = (day: string) =>
    new Date(`${day}T12:00:00Z`).toLocaleDateString(locale, { day: "numeric", month: "short", timeZone: "UTC" });
  const weekdays = useMemo(
    () =>
      // 1 January 2024 was a Monday.
      [0, 1, 2, 3, 4, 5, 6].map((d) =>
        new Date(Date.UTC(2024, 0, 1 + d, 12)).toLocaleDateString(locale, { weekday: "short", timeZone: "UTC" }),
      ),
    [locale],
  );

  const save = (table: string, data: Table) => {
    setSaved(null);
    saveReportCsv(table, filter, csvFile(data.header, data.rows))
      .then((path) => setSaved(t("reports.saved", { path })))
      .catch((err: unknown) => setError(errorText(err)));
  };

  const agentName = (a: string) => (a === "" ? t("reports.team") : a);
  const assigneeName = (a: string | null) => a ?? t("reports.unassigned");
  const countryName = (c: string) => (c === "" ? t("reports.unknownCountry") : `+${c}`);

  // Charts: memoised so a chart is drawn again only when its data changes.
  const charts = useMemo(() => {
    if (!report) return null;
    const days = report.volume.map((d) => shortDay(d.day));
    const times = report.response_times.agents;
    const bars = (label: string, values: number[], color: string, width = 0.7): BarSeries[] => [
      { label, values, color, width },
    ];
    return {
      days,
      volume: [
        { label: t("reports.opened"), values: report.volume.map((d) => d.opened), color: "--chart-soft", width: 0.75 },
        { label: t("reports.resolved"), values: report.volume.map((d) => d.resolved), color: "--accent", width: 0.5 },
        { label: t("reports.reopened"), values: report.volume.map((d) => d.reopened), color: "--warning", width: 0.25 },
      ] as BarSeries[],
      missed: bars(t("reports.missed"), report.missed.per_day.map((d) => d.count), "--danger"),
      agents: times.map((a) => agentName(a.agent)),
      times: [
        { label: t("reports.p90"), values: times.map((a) => a.p90_s ?? 0), color: "--chart-soft", width: 0.7 },
        { label: t("reports.median"), values: times.map((a) => a.median_s ?? 0), color: "--accent", width: 0.35 },
      ] as BarSeries[],
      sources: report.leads.by_source.map((s) => t(`reports.sources.${s.source}`)),
      leads: [
        { label: t("reports.leads"), values: report.leads.by_source.map((s) => s.leads), color: "--chart-soft", width: 0.6 },
        {
          label: t("reports.fast"),
          values: report.leads.by_source.map((s) => s.replied_within_5_min),
          color: "--accent",
          width: 0.3,
        },
      ] as BarSeries[],
    };
    // `t` changes with the language, and so do the labels.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [report, i18n.language]);
  const durationFmt = useMemo(() => (v: number) => duration(v, locale), [locale]);

  const timesRow = (a: AgentTimes): CsvValue[] => [
    agentName(a.agent),
    a.first_responses,
    a.first_median_s,
    a.first_p90_s,
    a.responses,
    a.median_s,
    a.p90_s,
  ];

  const tables: Record<string, Table> | null = report && {
    volume: {
      header: [t("reports.day"), t("reports.opened"), t("reports.resolved"), t("reports.reopened")],
      rows: report.volume.map((d) => [d.day, d.opened, d.resolved, d.reopened]),
    },
    "response-times": {
      header: [
        t("reports.agent"),
        t("reports.firstReplies"),
        `${t("reports.firstMedian")} (${t("reports.seconds")})`,
        `${t("reports.firstP90")} (${t("reports.seconds")})`,
        t("reports.replies"),
        `${t("reports.median")} (${t("reports.seconds")})`,
        `${t("reports.p90")} (${t("reports.seconds")})`,
      ],
      rows: [timesRow(report.response_times.team), ...report.response_times.agents.map(timesRow)],
    },
    "busiest-hours": {
      header: [t("reports.weekday"), ...Array.from({ length: 24 }, (_, h) => `${h}:00`)],
      rows: report.busiest_hours.counts.map((row, d) => [weekdays[d] ?? "", ...row]),
    },
    "missed-per-day": {
      header: [t("reports.day"), t("reports.missed")],
      rows: report.missed.per_day.map((d) => [d.day, d.count]),
    },
    "missed-per-agent": {
      header: [t("reports.assignee"), t("reports.missed")],
      rows: report.missed.per_agent.map((a) => [assigneeName(a.agent), a.count]),
    },
    "missed-conversations": {
      header: [
        t("reports.customer"),
        t("reports.assignee"),
        t("reports.lastMessageAt"),
        t("reports.closedAt"),
        t("reports.lastMessage"),
      ],
      rows: report.missed.conversations.map((m) => [
        m.customer,
        assigneeName(m.assignee),
        new Date(m.last_message_at * 1000).toISOString(),
        new Date(m.closed_at * 1000).toISOString(),
        m.last_message,
      ]),
    },
    "leads-by-source": {
      header: [t("reports.source"), t("reports.leads"), t("reports.fast")],
      rows: report.leads.by_source.map((s) => [t(`reports.sources.${s.source}`), s.leads, s.replied_within_5_min]),
    },
    "partner-codes": {
      header: [t("reports.partnerCode"), t("reports.leads"), t("reports.fast"), t("reports.fastShare")],
      rows: report.leads.partner_codes.map((p) => [p.code, p.leads, p.replied_within_5_min, p.share_within_5_min]),
    },
    spend: {
      header: [
        t("reports.category"),
        t("reports.country"),
        t("reports.sends"),
        t("reports.billable"),
        t("reports.awaiting"),
        `${t("reports.spend")} (${report.spend.currency})`,
        t("reports.estimatedBillable"),
        `${t("reports.estimate")} (${report.spend.currency})`,
      ],
      rows: [...report.spend.rows, report.spend.total].map((r, i, all) => [
        i === all.length - 1 ? t("reports.total") : r.category,
        i === all.length - 1 ? "" : countryName(r.country),
        r.sends,
        r.billable,
        r.awaiting_pricing,
        Number(r.spend.toFixed(6)),
        r.estimated_billable,
        Number(r.estimate.toFixed(6)),
      ]),
    },
  };

  const exportButton = (table: string, label: string = t("reports.exportCsv")) =>
    tables && (
      <button type="button" className="report-export" data-testid={`export-${table}`} onClick={() => save(table, tables[table]!)}>
        {label}
      </button>
    );

  return (
    <section className="reports" data-testid="reports" aria-labelledby="reports-title">
      <header className="reports-header">
        <h2 id="reports-title">{t("reports.title")}</h2>
        <div className="reports-filters">
          <label>
            {t("reports.from")}
            <input
              type="date"
              data-testid="reports-from"
              value={range.from}
              max={range.to}
              onChange={(e) => e.target.value && setRange((r) => ({ ...r, from: e.target.value }))}
            />
          </label>
          <label>
            {t("reports.to")}
            <input
              type="date"
              data-testid="reports-to"
              value={range.to}
              min={range.from}
              onChange={(e) => e.target.value && setRange((r) => ({ ...r, to: e.target.value }))}
            />
          </label>
          <label>
            {t("reports.agent")}
            <select data-testid="reports-agent" value={agent} onChange={(e) => setAgent(e.target.value)}>
              <option value="">{t("reports.allAgents")}</option>
              {(report?.agents ?? []).map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
        </div>
        <button type="button" onClick={onClose} data-testid="reports-close">
          {t("common.close")}
        </button>
      </header>
      {error && (
        <p className="inline-error" role="alert" data-testid="reports-error">
          {t("reports.failed", { message: error })}
        </p>
      )}
      {saved && (
        <p className="muted small" role="status" data-testid="reports-saved">
          {saved}
        </p>
      )}
      {!report && !error && <p className="muted">{t("reports.loading")}</p>}
      {report && charts && tables && (
        <div className="reports-body">
          <Card id="volume" title={t("reports.volumeTitle")} hint={t("reports.volumeHint")} action={exportButton("volume")}>
            <BarChart labels={charts.days} series={charts.volume} testId="chart-volume" title={t("reports.volumeTitle")} />
            <p className="muted small" data-testid="status-hint">
              {t("reports.statusHint")}
            </p>
            <DataTable table={tables.volume!} testId="table-volume" collapsed />
          </Card>

          <Card
            id="response-times"
            title={t("reports.responseTitle")}
            hint={t("reports.responseHint")}
            action={exportButton("response-times")}
          >
            {report.response_times.agents.length > 0 && (
              <BarChart
                labels={charts.agents}
                series={charts.times}
                format={durationFmt}
                testId="chart-response-times"
                title={t("reports.responseTitle")}
              />
            )}
            <table className="report-table" data-testid="table-response-times">
              <thead>
                <tr>
                  <th>{t("reports.agent")}</th>
                  <th>{t("reports.firstReplies")}</th>
                  <th>{t("reports.firstMedian")}</th>
                  <th>{t("reports.firstP90")}</th>
                  <th>{t("reports.replies")}</th>
                  <th>{t("reports.median")}</th>
                  <th>{t("reports.p90")}</th>
                </tr>
              </thead>
              <tbody>
                {[report.response_times.team, ...report.response_times.agents].map((a) => (
                  <tr key={a.agent} data-testid="response-row" data-agent={a.agent} className={a.agent === "" ? "total" : ""}>
                    <th scope="row">{agentName(a.agent)}</th>
                    <td>{a.first_responses}</td>
                    <td>{duration(a.first_median_s, locale)}</td>
                    <td>{duration(a.first_p90_s, locale)}</td>
                    <td>{a.responses}</td>
                    <td>{duration(a.median_s, locale)}</td>
                    <td>{duration(a.p90_s, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>

          <Card id="busiest-hours" title={t("reports.hoursTitle")} hint={t("reports.hoursHint")} action={exportButton("busiest-hours")}>
            <Heatmap counts={report.busiest_hours.counts} max={report.busiest_hours.max} weekdays={weekdays} />
          </Card>

          <Card
            id="missed"
            title={t("reports.missedTitle")}
            hint={t("reports.missedHint")}
            action={
              <>
                {exportButton("missed-per-day", t("reports.csvPerDay"))}
                {exportButton("missed-per-agent", t("reports.csvPerAgent"))}
                {exportButton("missed-conversations", t("reports.csvList"))}
              </>
            }
          >
            <p className="report-figure" data-testid="missed-total">
              {t("reports.missedTotal", { count: report.missed.total })}
            </p>
            <BarChart labels={charts.days} series={charts.missed} testId="chart-missed" title={t("reports.missedTitle")} />
            <DataTable table={tables["missed-per-agent"]!} testId="table-missed-per-agent" />
            {report.missed.conversations.length > 0 && (
              <div className="report-scroll">
                <table className="report-table" data-testid="table-missed-conversations">
                  <thead>
                    <tr>
                      <th>{t("reports.customer")}</th>
                      <th>{t("reports.assignee")}</th>
                      <th>{t("reports.closedAt")}</th>
                      <th>{t("reports.lastMessage")}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {report.missed.conversations.map((m) => (
                      <tr key={`${m.conversation_id}-${m.closed_at}`} data-testid="missed-row">
                        <th scope="row">{m.customer}</th>
                        <td>{assigneeName(m.assignee)}</td>
                        <td title={fullTime(m.last_message_at, locale)}>{fullTime(m.closed_at, locale)}</td>
                        <td className="report-message">{m.last_message}</td>
                        <td>
                          <button
                            type="button"
                            className="link"
                            data-testid="missed-open"
                            onClick={() => onOpenConversation(m.conversation_id)}
                          >
                            {t("reports.openChat")}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {report.missed.conversations.length < report.missed.total && (
              <p className="muted small">
                {t("reports.listed", { shown: report.missed.conversations.length, total: report.missed.total })}
              </p>
            )}
          </Card>

          <Card
            id="leads"
            title={t("reports.leadsTitle")}
            hint={t("reports.leadsHint")}
            action={
              <>
                {exportButton("leads-by-source", t("reports.csvSources"))}
                {exportButton("partner-codes", t("reports.csvCodes"))}
              </>
            }
          >
            <BarChart labels={charts.sources} series={charts.leads} testId="chart-leads" title={t("reports.leadsTitle")} />
            <DataTable table={tables["leads-by-source"]!} testId="table-leads" />
            {report.leads.partner_codes.length > 0 && (
              <table className="report-table" data-testid="table-partner-codes">
                <thead>
                  <tr>
                    {tables["partner-codes"]!.header.map((h) => (
                      <th key={h}>{h}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.leads.partner_codes.map((p) => (
                    <tr key={p.code}>
                      <th scope="row">{p.code}</th>
                      <td>{p.leads}</td>
                      <td>{p.replied_within_5_min}</td>
                      <td>{percent(p.share_within_5_min)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>

          <Card id="spend" title={t("reports.spendTitle")} hint={t("reports.spendHint")} action={exportButton("spend")}>
            {report.spend.rows.length === 0 ? (
              <p className="muted">{t("reports.noData")}</p>
            ) : (
              <table className="report-table" data-testid="table-spend">
                <thead>
                  <tr>
                    <th>{t("reports.category")}</th>
                    <th>{t("reports.country")}</th>
                    <th>{t("reports.sends")}</th>
                    <th>{t("reports.billable")}</th>
                    <th>{t("reports.awaiting")}</th>
                    <th>{t("reports.spend")}</th>
                    <th>{t("reports.estimatedBillable")}</th>
                    <th>{t("reports.estimate")}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...report.spend.rows, report.spend.total].map((r, i, all) => {
                    const total = i === all.length - 1;
                    return (
                      <tr key={`${r.category}-${r.country}-${i}`} className={total ? "total" : ""} data-testid="spend-row">
                        <th scope="row">{total ? t("reports.total") : r.category}</th>
                        <td>{total ? "" : countryName(r.country)}</td>
                        <td>{r.sends}</td>
                        <td>{r.billable}</td>
                        <td>{r.awaiting_pricing}</td>
                        <td>{money(r.spend, report.spend.currency)}</td>
                        <td>{r.estimated_billable}</td>
                        <td>{money(r.estimate, report.spend.currency)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </Card>
        </div>
      )}
    </section>
  );
}

function Card({ id, title, hint, action, children }: { id: string; title: string; hint: string; action: ReactNode; children: ReactNode }) {
  return (
    <section className="report-card" data-testid={`report-${id}`} aria-labelledby={`report-${id}-title`}>
      <header className="report-card-header">
        <h3 id={`report-${id}-title`}>{title}</h3>
        <div className="report-actions">{action}</div>
      </header>
      <p className="muted small">{hint}</p>
      {children}
    </section>
  );
}

/** A table with its header row; long ones fold away under their first rows. */
function DataTable({ table, testId, collapsed = false }: { table: Table; testId: string; collapsed?: boolean }) {
  const body = (
    <table className="report-table" data-testid={testId}>
      <thead>
        <tr>
          {table.header.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) =>
              j === 0 ? (
                <th scope="row" key={j}>
                  {String(cell ?? "")}
                </th>
              ) : (
                <td key={j}>{String(cell ?? "")}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
  if (!collapsed) return body;
  return (
    <details className="report-details">
      <summary>{table.header.join(" · ")}</summary>
      <div className="report-scroll">{body}</div>
    </details>
  );
}

/** Weekday × hour, each cell shaded by its share of the busiest one, with its count. */
function Heatmap({ counts, max, weekdays }: { counts: number[][]; max: number; weekdays: string[] }) {
  const { t } = useTranslation();
  return (
    <div className="report-scroll">
      <table className="heatmap" data-testid="heatmap">
        <thead>
          <tr>
            <th />
            {Array.from({ length: 24 }, (_, h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {counts.map((row, d) => (
            <tr key={d}>
              <th scope="row">{weekdays[d]}</th>
              {row.map((n, h) => {
                const share = max > 0 ? n / max : 0;
                return (
                  <td
                    key={h}
                    data-count={n}
                    title={t("reports.hourCell", { day: weekdays[d], hour: h, count: n })}
                    style={{ "--heat": share.toFixed(3) } as CSSProperties}
                    className={share > 0.55 ? "hot" : undefined}
                  >
                    {n > 0 ? n : ""}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default ReportsScreen;
