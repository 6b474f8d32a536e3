import type { KeyboardEvent, RefObject } from "react";
import type { SearchHit } from "../bindings/SearchHit";
import type { Segment } from "../bindings/Segment";
import { listTime } from "../lib/format/time";
import { useTranslation } from "../lib/i18n";
import { hitId, type SearchState } from "../lib/search";

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
