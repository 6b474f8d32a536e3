import { useEffect, useState } from "react";
import type { CannedResponse } from "../bindings/CannedResponse";
import { useTranslation } from "../lib/i18n";
import { listCanned } from "../lib/ipc";
import "../team.css";

/**
 * The canned-response query in a message being typed: the text after a
 * `/` that starts the message (`/hours` → `hours`), or null when the message
 * does not start with one. Only the start counts, so a `/` inside a
 * sentence or a URL never opens the list.
 */
export function cannedQuery(text: string): string | null {
  const match = /^\/(\S*)$/.exec(text);
  return match ? (match[1] ?? "").toLowerCase() : null;
}

/** The responses whose title or text contains every word of `query`, titles first. */
export function matchCanned(all: readonly CannedResponse[], query: string): CannedResponse[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const hits = all.filter((c) => words.every((w) => `${c.title} ${c.body}`.toLowerCase().includes(w)));
  const inTitle = (c: CannedResponse) => words.every((w) => c.title.toLowerCase().includes(w));
  return [...hits.filter(inTitle), ...hits.filter((c) => !inTitle(c))];
}

type Props = {
  query: string;
  /** Which option the arrow keys point at (clamped here). */
  active: number;
  onPick: (response: CannedResponse) => void;
  onOptions: (options: CannedResponse[]) => void;
};

/** The list that opens above the composer while the message is `/…`. */
export function CannedPicker({ query, active, onPick, onOptions }: Props) {
  const { t } = useTranslation();
  const [all, setAll] = useState<CannedResponse[] | null>(null);
  useEffect(() => {
    listCanned().then(setAll, () => setAll([]));
  }, []);
  const options = all ? matchCanned(all, query) : [];
  useEffect(() => onOptions(options), [all, query]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!all) return null;
  return (
    <ul className="canned-picker" role="listbox" aria-label={t("team.cannedTitle")} data-testid="canned-picker">
      {options.length === 0 && <li className="muted small">{all.length === 0 ? t("team.cannedNone") : t("team.cannedNoMatch")}</li>}
      {options.map((c, i) => (
        <li key={c.id}>
          <button
            type="button"
            role="option"
            aria-selected={i === Math.min(active, options.length - 1)}
            className="canned-option"
            data-testid="canned-option"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(c)}
          >
            {c.title}
            <small>{c.body}</small>
          </button>
        </li>
      ))}
    </ul>
  );
}
