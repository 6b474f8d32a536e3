// The inbox's filters: the status views with their counts, the filters
// (all, leads, window closing, and on a team mine and unassigned) and the
// label, and which conversations they leave in the list.
import type { ConversationId } from "../bindings/ConversationId";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { StatusChange } from "../bindings/StatusChange";
import { useTranslation } from "../lib/i18n";
import { type Action, ariaKeys, combosFor, isMac } from "../lib/keyboard";
import { serviceWindow } from "../lib/window";
import { effectiveStatus, type StatusView, useStatuses, viewOf } from "./StatusControl";
import { useLabels, useOwners } from "./TeamPanel";

export type Filter = "all" | "leads" | "closing";
/** Ownership filters, shown once the app is on a team's relay. */
export type TeamFilter = "mine" | "unassigned";

// Each filter's label and hint are `app.filters.<id>` in the translations.
const FILTERS: readonly Filter[] = ["all", "leads", "closing"];

/** The shortcut that switches to each filter. */
const FILTER_ACTIONS: Record<Filter, Action> = { all: "filterAll", leads: "filterLeads", closing: "filterClosing" };

/** The status views; Open is the default and holds pending conversations too. */
const STATUS_VIEWS: readonly { id: StatusView; hint: "filterOpenHint" | "filterSnoozedHint" | "filterResolvedHint" }[] = [
  { id: "open", hint: "filterOpenHint" },
  { id: "snoozed", hint: "filterSnoozedHint" },
  { id: "resolved", hint: "filterResolvedHint" },
];

const TEAM_FILTERS: readonly { id: TeamFilter; label: "filterMine" | "filterUnassigned" }[] = [
  { id: "mine", label: "filterMine" },
  { id: "unassigned", label: "filterUnassigned" },
];

export type InboxQuery = {
  statusView: StatusView;
  filter: Filter | TeamFilter;
  /** Only conversations with this label, whatever the filter. */
  label: string | null;
};

export type InboxTeam = {
  statuses: ReadonlyMap<ConversationId, StatusChange>;
  owners: ReadonlyMap<ConversationId, string>;
  labels: ReadonlyMap<ConversationId, string[]>;
  me: string | null;
};

/** Every conversation's status, owner and labels, and this agent's name, kept fresh for `mode`'s session. */
export function useInboxTeam(mode: string | null): InboxTeam {
  const { owners, me } = useOwners(mode);
  const labels = useLabels(mode);
  const statuses = useStatuses(mode);
  return { statuses, owners, labels, me };
}

export type InboxView = {
  /** How many conversations each status view holds. */
  counts: Record<StatusView, number>;
  /** What the list shows, in the inbox's order. */
  list: ConversationSummary[];
  /** Of those, the ones waiting on the customer (pending). */
  pending: Set<ConversationId>;
  /** Every label in use, sorted. */
  labels: string[];
};

/**
 * The list the filters leave at `now` (Unix seconds): each conversation's
 * status is the one in force then, so a snooze whose time passed is open
 * again as the clock ticks.
 */
export function inboxView(all: readonly ConversationSummary[], q: InboxQuery, team: InboxTeam, now: number): InboxView {
  const statusNow = (id: ConversationId) => effectiveStatus(team.statuses.get(id), now);
  const counts: Record<StatusView, number> = { open: 0, snoozed: 0, resolved: 0 };
  for (const c of all) counts[viewOf(statusNow(c.id))] += 1;
  const inView = all.filter((c) => viewOf(statusNow(c.id)) === q.statusView);
  const pending = new Set(inView.filter((c) => statusNow(c.id) === "pending").map((c) => c.id));
  const keep: Record<Filter | TeamFilter, (c: ConversationSummary) => boolean> = {
    all: () => true,
    leads: (c) => c.lead !== null,
    closing: (c) => serviceWindow(c.last_inbound_at, now).state === "closing",
    mine: (c) => team.me !== null && team.owners.get(c.id) === team.me,
    unassigned: (c) => !team.owners.has(c.id),
  };
  const byFilter = inView.filter(keep[q.filter]);
  const label = q.label;
  const list = label === null ? byFilter : byFilter.filter((c) => team.labels.get(c.id)?.includes(label));
  const labels = [...new Set([...team.labels.values()].flat())].sort((a, b) => a.localeCompare(b));
  return { counts, list, pending, labels };
}

type Props = {
  query: InboxQuery;
  onQuery: (q: InboxQuery) => void;
  counts: Record<StatusView, number>;
  labels: readonly string[];
  /** On a team's relay: the ownership filters show. */
  team: boolean;
};

export function InboxFilters({ query, onQuery, counts, labels, team }: Props) {
  const { t } = useTranslation();
  const mac = isMac();
  const { statusView, filter, label } = query;
  const pick = (f: Filter | TeamFilter) => onQuery({ ...query, filter: f });
  return (
    <>
      <nav className="filters status-filters" aria-label={t("status.filtersLabel")}>
        {STATUS_VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className={statusView === v.id ? "filter active" : "filter"}
            data-testid={`filter-${v.id}`}
            data-count={counts[v.id]}
            aria-pressed={statusView === v.id}
            title={t(`status.${v.hint}`)}
            onClick={() => onQuery({ ...query, statusView: v.id })}
          >
            {t(`status.${v.id}`)}
            <span className="status-count">{counts[v.id]}</span>
          </button>
        ))}
      </nav>
      <nav className="filters" aria-label={t("app.filtersLabel")}>
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            className={filter === f ? "filter active" : "filter"}
            data-testid={`filter-${f}`}
            aria-pressed={filter === f}
            aria-keyshortcuts={combosFor([FILTER_ACTIONS[f]]).map((c) => ariaKeys(c, mac)).join(" ")}
            title={t(`app.filters.${f}.hint`)}
            onClick={() => pick(f)}
          >
            {t(`app.filters.${f}.label`)}
          </button>
        ))}
        {team &&
          TEAM_FILTERS.map((f) => (
            <button
              key={f.id}
              type="button"
              className={filter === f.id ? "filter active" : "filter"}
              data-testid={`filter-${f.id}`}
              aria-pressed={filter === f.id}
              title={t(`team.${f.label}Hint`)}
              onClick={() => pick(f.id)}
            >
              {t(`team.${f.label}`)}
            </button>
          ))}
        {(labels.length > 0 || label !== null) && (
          <label className="label-filter" title={t("team.labelFilter")}>
            <span className="visually-hidden">{t("team.labelFilter")}</span>
            <select
              data-testid="filter-label"
              value={label ?? ""}
              onChange={(e) => onQuery({ ...query, label: e.target.value === "" ? null : e.target.value })}
            >
              <option value="">{t("team.labelAny")}</option>
              {[...new Set([...labels, ...(label ? [label] : [])])].map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        )}
      </nav>
    </>
  );
}
