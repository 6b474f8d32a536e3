// Searching the inbox: the query runs once typing pauses, and a keyboard
// cursor walks its hits (the input keeps the focus throughout).
import { type KeyboardEvent, useEffect, useState } from "react";
import type { SearchHit } from "../../bindings/SearchHit";
import type { SearchResults } from "../../bindings/SearchResults";
import { errorText } from "../i18n/problem";
import { search } from "../ipc";

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

/** The DOM id of the hit at `index`. */
export function hitId(index: number): string {
  return `search-hit-${index}`;
}

/**
 * Where the cursor goes from `index` by `step` among `count` hits: it
 * stops at either end; with no hits there is nowhere to go.
 */
export function stepCursor(index: number, count: number, step: 1 | -1): number | null {
  if (count === 0) return null;
  return Math.min(count - 1, Math.max(0, index + step));
}

export type SearchCursor = {
  query: string;
  setQuery: (query: string) => void;
  found: SearchState;
  hits: SearchHit[];
  /** The hit under the cursor. */
  active: number;
  /** The search input's keys: arrows move the cursor, Enter opens, Escape clears, then leaves. */
  onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => void;
};

/**
 * The search box's query, its results and the keyboard cursor over them.
 * `open` takes the hit Enter picks; `leave` runs on Escape in an empty box.
 */
export function useSearchCursor(open: (hit: SearchHit) => void, leave: () => void): SearchCursor {
  const [query, setQuery] = useState("");
  const found = useSearch(query);
  const hits = found.state === "ready" ? found.hits : [];
  // The cursor belongs to one set of results: new results start at their
  // first hit, decided while rendering (an effect resetting it could land
  // after an arrow key pressed as the results appeared).
  const [cursor, setCursor] = useState<{ of: SearchState; index: number }>({ of: found, index: 0 });
  const active = cursor.of === found ? cursor.index : 0;

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const next = stepCursor(active, hits.length, e.key === "ArrowDown" ? 1 : -1);
      if (next === null) return;
      e.preventDefault();
      setCursor({ of: found, index: next });
      document.getElementById(hitId(next))?.scrollIntoView({ block: "nearest" });
    } else if (e.key === "Enter") {
      const hit = hits[active];
      if (!hit) return;
      e.preventDefault();
      open(hit);
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (query !== "") setQuery("");
      else leave();
    }
  };

  return { query, setQuery, found, hits, active, onKeyDown };
}
