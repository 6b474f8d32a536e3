import { describe, expect, it, vi } from "vitest";
import { bubbleTime, clockTime, dayKey, dayLabel, fullTime, listTime, prepareListTimes } from "./time";

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

describe("dayLabel", () => {
  const now = new Date(2026, 10, 21, 15, 30); // Saturday 21 November 2026
  const at = (d: Date) => Math.floor(d.getTime() / 1000);

  it("says Today and Yesterday in each language", () => {
    expect(dayLabel(at(new Date(2026, 10, 21, 0, 1)), now, "en")).toBe("Today");
    expect(dayLabel(at(new Date(2026, 10, 20, 23, 59)), now, "en")).toBe("Yesterday");
    expect(dayLabel(at(new Date(2026, 10, 21, 8)), now, "ru")).toBe("Сегодня");
    expect(dayLabel(at(new Date(2026, 10, 20, 8)), now, "ru")).toBe("Вчера");
    expect(dayLabel(at(new Date(2026, 10, 21, 8)), now, "es")).toBe("Hoy");
    expect(dayLabel(at(new Date(2026, 10, 20, 8)), now, "es")).toBe("Ayer");
  });

  it("names the weekday within the last week", () => {
    expect(dayLabel(at(new Date(2026, 10, 19, 9)), now, "en")).toBe("Thursday");
    expect(dayLabel(at(new Date(2026, 10, 15, 9)), now, "en")).toBe("Sunday");
    expect(dayLabel(at(new Date(2026, 10, 19, 9)), now, "ru")).toBe("Четверг");
    expect(dayLabel(at(new Date(2026, 10, 19, 9)), now, "es")).toBe("Jueves");
  });

  it("gives the date beyond a week, with the year only when not this year", () => {
    expect(dayLabel(at(new Date(2026, 10, 14, 9)), now, "en-GB")).toBe("14 November");
    expect(dayLabel(at(new Date(2025, 10, 14, 9)), now, "en-GB")).toBe("14 November 2025");
    expect(dayLabel(at(new Date(2026, 2, 12)), now, "ru")).toBe("12 марта");
    expect(dayLabel(at(new Date(2024, 2, 12)), now, "es")).toBe("12 de marzo de 2024");
  });

  it("keys days by the local calendar", () => {
    expect(dayKey(at(new Date(2026, 10, 21, 0, 0)))).toBe("2026-11-21");
    expect(dayKey(at(new Date(2026, 10, 20, 23, 59)))).toBe("2026-11-20");
  });
});

describe("kept formatters", () => {
  it("word a time exactly as the engine's own toLocale… functions do, in every language, call after call", () => {
    const at = Math.floor(new Date(2026, 10, 21, 9, 5).getTime() / 1000);
    for (const locale of ["en", "ru", "es", "en-GB"]) {
      const own = new Date(at * 1000);
      for (let i = 0; i < 3; i += 1) {
        expect(bubbleTime(at, locale)).toBe(own.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }));
        expect(fullTime(at, locale)).toBe(own.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }));
        expect(clockTime(at * 1000, locale)).toBe(own.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }));
      }
    }
  });

  it("are made for the list's rows ahead of them: the rows then make none", () => {
    // A locale no other test uses, so nothing was made for it before.
    prepareListTimes("pt-BR");
    const made = vi.spyOn(Intl, "DateTimeFormat");
    try {
      const now = new Date(2026, 10, 21, 15, 30);
      for (const day of [new Date(2026, 10, 21, 9, 5), new Date(2026, 10, 19), new Date(2026, 2, 12), new Date(2024, 2, 12)]) {
        const at = Math.floor(day.getTime() / 1000);
        listTime(at, now, "pt-BR");
        fullTime(at, "pt-BR");
      }
      expect(made).not.toHaveBeenCalled();
    } finally {
      made.mockRestore();
    }
  });
});
