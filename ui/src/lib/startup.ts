// The page's own start-up marks: when it reached each step of showing the
// inbox, in ms since it started loading (`performance.now()`). They go to
// the shell with the "inbox interactive" mark, so the log says where a cold
// start's time goes (docs/performance.md → Window memory and cold start).

import { useEffect, useState } from "react";

const marks: [string, number][] = [];

/** At most this many marks are kept (each step marks once). */
const MAX_MARKS = 16;

/** Notes that the page reached `step` now. */
export function startupMark(step: string): void {
  if (marks.length < MAX_MARKS && !marks.some(([name]) => name === step)) {
    marks.push([step, performance.now()]);
  }
}

/** The marks so far, after the document's own: its HTML read and parsed. */
export function startupMarks(): [string, number][] {
  const navigation = (typeof performance.getEntriesByType === "function" ? performance.getEntriesByType("navigation") : [])[0] as
    | PerformanceNavigationTiming
    | undefined;
  const page: [string, number][] = navigation
    ? [
        ["html read", navigation.responseEnd],
        ["html parsed", navigation.domInteractive],
      ]
    : [];
  return [...page.filter(([, at]) => at > 0), ...marks];
}

/**
 * Runs `then` once the next frame has been drawn (a frame's callbacks run
 * before it is painted, a task queued from them after). Answers a function
 * that cancels it.
 */
export function afterNextFrame(then: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(then, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/**
 * False until the first frame after this component mounted was drawn: what
 * the first screen can do without (the rows beyond the visible ones) waits
 * for it, so the window appears sooner.
 */
export function useFirstFrameDrawn(): boolean {
  const [drawn, setDrawn] = useState(false);
  useEffect(() => afterNextFrame(() => setDrawn(true)), []);
  return drawn;
}
