// The page's start-up marks go to the shell with the first rows: each step
// once, in the order reached, after the document's own.
import { describe, expect, it } from "vitest";
import { startupMark, startupMarks } from "./startup";

describe("start-up marks", () => {
  it("keeps each step once, in order, with its time since the page started", () => {
    startupMark("script run");
    startupMark("list read");
    startupMark("script run");
    const steps = startupMarks().filter(([name]) => !name.startsWith("html"));
    expect(steps.map(([name]) => name)).toEqual(["script run", "list read"]);
    const [[, first], [, second]] = steps as [[string, number], [string, number]];
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThanOrEqual(first);
  });

  it("keeps at most sixteen", () => {
    for (let i = 0; i < 40; i += 1) startupMark(`step ${i}`);
    expect(startupMarks().filter(([name]) => !name.startsWith("html")).length).toBe(16);
  });
});
