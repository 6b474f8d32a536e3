import { describe, expect, it } from "vitest";
import { listTime } from "./time";

describe("listTime", () => {
  const now = new Date(2026, 10, 21, 15, 30);
  const at = (d: Date) => Math.floor(d.getTime() / 1000);

  it("shows the clock for today", () => {
    expect(listTime(at(new Date(2026, 10, 21, 9, 5)), now, "en-GB")).toBe("09:05");
  });
  it("shows the weekday within the week", () => {
    expect(listTime(at(new Date(2026, 10, 19, 9, 5)), now, "en-GB")).toBe("Thu");
  });
  it("shows day and month this year, and the year before that", () => {
    expect(listTime(at(new Date(2026, 2, 12)), now, "en-GB")).toBe("12 Mar");
    expect(listTime(at(new Date(2024, 2, 12)), now, "en-GB")).toBe("12 Mar 2024");
  });
});
