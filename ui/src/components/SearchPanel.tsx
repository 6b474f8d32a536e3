import { type KeyboardEvent, type RefObject, useEffect, useState } from "react";
import type { SearchHit } from "../bindings/SearchHit";
import type { SearchResults } from "../bindings/SearchResults";
import type { Segment } from "../bindings/Segment";
import { listTime } from "../lib/format/time";
import { useTranslation } from "../lib/i18n";
import { search } from "../lib/ipc";
import { errorText } from "../lib/i18n/problem";

/** How long typing must pause before a search runs. */
const DEBOUNCE_MS = 120;
/** Shorter input is not searched: it would match nearly everything. */
export const MIN_QUERY = 2;

export type SearchState =
  | { state: "idle" }
  | { state: "short" }
  | { state: "ready"; query: string; results: SearchResults; hits: SearchHit[] }
  | { state: "failed"; message: string };

/** Every hit in the order shown: customers, notes, messages. */
export function flatHits(results: SearchResults): SearchHit[] {
  return [...results.contacts, ...results.notes, ...results.messages];
}

/**
 * Runs the search for `query` once typing pauses. A slower answer to an
 * older query never replaces a newer one.
 */
export function useSearch(query: string): SearchState {
  const [state, setState] = useState<SearchState>({ state: "idle" });
  const trimmed = query.trim();
  useEffect(() => {
    if (trimmed === "") {
      setState({ state: "idle" });
      return;
    }
    if (trimmed.length < MIN_QUERY) {
      setState({ state: "short" });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      search(query)
        .then((results) => current && setState({ state: "ready", query, results, hits: flatHits(results) }))
        .catch((err: unknown) => current && setState({ state: "failed", message: errorText(err) }));
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `query` (untrimmed) decides whether the last word is a prefix.
  }, [query, trimmed]);
  return state;
}

type BoxProps = {
  query: string;
  onQuery: (query: string) => void;
  inputRef: RefObject<HTMLInputElement | null>;
  onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => void;
  /** The id of the hit under the cursor, for `aria-activedescendant`. */
  activeId: string | undefined;
};

export function SearchBox({ query, onQuery, inputRef, onKeyDown, activeId }: BoxProps) {
  const { t } = useTranslation();
  return (
    <div className="search-box" role="search">
      <input
        ref={inputRef}
        type="search"
        data-testid="search-input"
        aria-label={t("team.searchLabel")}
        placeholder={t("team.searchPlaceholder")}
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-expanded={query.trim() !== ""}
        aria-controls="search-results"
        aria-activedescendant={activeId}
        autoComplete="off"
        spellCheck={false}
      />
      {query !== "" && (
        <button type="button" className="search-clear" aria-label={t("team.searchClear")} onClick={() => onQuery("")}>
          ×
        </button>
      )}
    </div>
  );
}

/** The DOM id of the hit at `index`. */
export function hitId(index: number): string {
  return `search-hit-${index}`;
}

type ResultsProps = {
  search: SearchState;
  /** The hit under the keyboard cursor. */
  active: number;
  onOpen: (hit: SearchHit) => void;
};

/**
 * Hits grouped by kind. Matched words are `<mark>` elements around plain
 * text: customer text is only ever rendered as React text, never as HTML.
 */
export function SearchResultsView({ search, active, onOpen }: ResultsProps) {
  const { t } = useTranslation();
  if (search.state === "idle") return null;
  if (search.state === "short") return <p className="muted centered small">{t("team.searchShort")}</p>;
  if (search.state === "failed") {
    return (
      <p className="inline-error" role="alert" data-testid="search-error">
        {t("team.searchFailed", { message: search.message })}
      </p>
    );
  }
  const { results, hits, query } = search;
  if (hits.length === 0) {
    return (
      <p className="muted centered" data-testid="search-empty">
        {t("team.searchNone", { query: query.trim() })}
      </p>
    );
  }
  const groups: { title: string; kind: string; hits: SearchHit[] }[] = [
    { title: t("team.searchCustomers"), kind: "contact", hits: results.contacts },
    { title: t("team.searchNotes"), kind: "note", hits: results.notes },
    { title: t("team.searchMessages"), kind: "message", hits: results.messages },
  ];
  let index = 0;
  return (
    <div className="search-results" id="search-results" role="listbox" data-testid="search-results">
      <p className="muted small search-help">{t("team.searchHelp")}</p>
      {groups.map(
        (g) =>
          g.hits.length > 0 && (
            <section key={g.kind} className="search-group" aria-label={g.title}>
              <h3>{g.title}</h3>
              {g.hits.map((hit) => {
                const i = index++;
                return (
                  <div
                    key={hitKey(hit)}
                    id={hitId(i)}
                    role="option"
                    aria-selected={i === active}
                    className={i === active ? "search-hit active" : "search-hit"}
                    data-testid="search-hit"
                    data-kind={hit.kind}
                    data-conversation-id={hit.conversation_id}
                    // The input keeps the focus; a click must not take it.
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => onOpen(hit)}
                  >
                    <div className="search-hit-head">
                      <span className="search-hit-title">{hit.title}</span>
                      <time className="muted small">{listTime(Number(hit.at))}</time>
                    </div>
                    <div className="search-hit-snippet" data-testid="search-snippet">
                      <Marked segments={hit.snippet} />
                    </div>
                  </div>
                );
              })}
            </section>
          ),
      )}
    </div>
  );
}

function hitKey(hit: SearchHit): string {
  switch (hit.kind) {
    case "message":
      return `m${hit.message_id}`;
    case "note":
      return `n${hit.note_id}`;
    case "contact":
      return `c${hit.conversation_id}`;
  }
}

export function Marked({ segments }: { segments: readonly Segment[] }) {
  return (
    <>
      {segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}
