import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Report } from "../bindings/Report";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockBackend } from "../lib/ipc/testing";
import { ReportsScreen, duration } from "./ReportsScreen";

// jsdom has no canvas: the charts are uPlot's business, the figures are ours.
vi.mock("./BarChart", () => ({
  BarChart: ({ testId }: { testId: string }) => <div data-testid={testId} />,
}));

afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

const hours = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
hours[0]![9] = 2;
hours[1]![20] = 1;

const REPORT: Report = {
  from: "2026-03-02",
  to: "2026-03-04",
  volume: [
    { day: "2026-03-02", opened: 2, resolved: 1, reopened: 0 },
    { day: "2026-03-03", opened: 4, resolved: 3, reopened: 2 },
    { day: "2026-03-04", opened: 1, resolved: 0, reopened: 1 },
  ],
  response_times: {
    team: { agent: "", first_responses: 6, first_median_s: 360, first_p90_s: 3600, responses: 7, median_s: 600, p90_s: 3600 },
    agents: [
      { agent: "ana", first_responses: 3, first_median_s: 600, first_p90_s: 1200, responses: 3, median_s: 600, p90_s: 1200 },
    ],
  },
  busiest_hours: { counts: hours, max: 2 },
  missed: {
    total: 1,
    per_day: [
      { day: "2026-03-02", count: 0 },
      { day: "2026-03-03", count: 1 },
      { day: "2026-03-04", count: 0 },
    ],
    per_agent: [{ agent: null, count: 1 }],
    conversations: [
      {
        conversation_id: 7,
        customer: "Boris",
        assignee: null,
        last_message_at: 1772438400,
        last_message: "<b>Can I come at 10?</b>",
        closed_at: 1772524800,
      },
    ],
  },
  leads: {
    total: 3,
    by_source: [
      { source: "ad", leads: 1, replied_within_5_min: 0 },
      { source: "partner_code", leads: 2, replied_within_5_min: 1 },
      { source: "organic", leads: 0, replied_within_5_min: 0 },
    ],
    partner_codes: [{ code: "ABC123", leads: 2, replied_within_5_min: 1, share_within_5_min: 0.5 }],
  },
  spend: {
    currency: "EUR",
    rows: [
      {
        category: "marketing",
        country: "34",
        sends: 1,
        billable: 1,
        awaiting_pricing: 0,
        spend: 0.051,
        estimated_billable: 1,
        estimate: 0.051,
      },
    ],
    total: {
      category: "",
      country: "",
      sends: 1,
      billable: 1,
      awaiting_pricing: 0,
      spend: 0.051,
      estimated_billable: 1,
      estimate: 0.051,
    },
  },
  agents: ["ana", "you"],
};

describe("ReportsScreen", () => {
  it("shows the figures, opens a missed chat and saves a table as CSV", async () => {
    const calls: [string, Record<string, unknown> | undefined][] = [];
    mockBackend((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "get_report") return REPORT;
      if (cmd === "save_report_csv") return "/home/lead/Downloads/x.csv";
      return undefined;
    });
    const opened: number[] = [];
    render(<ReportsScreen me="you" onOpenConversation={(id) => opened.push(id)} onClose={() => undefined} />);
    expect((await screen.findByTestId("missed-total")).textContent).toBe("Missed: 1");
    const filter = calls.find(([c]) => c === "get_report")![1]!.filter as Record<string, unknown>;
    expect(filter.me).toBe("you");
    expect(filter.agent).toBeNull();
    // Customer text is text, never markup.
    const row = screen.getByTestId("missed-row");
    expect(within(row).getByText("<b>Can I come at 10?</b>")).toBeTruthy();
    within(row).getByTestId("missed-open").click();
    expect(opened).toEqual([7]);
    expect(screen.getByTestId("heatmap").querySelector("td[data-count='2']")).toBeTruthy();
    expect(screen.getAllByTestId("spend-row")).toHaveLength(2);
    screen.getByTestId("export-spend").click();
    expect((await screen.findByTestId("reports-saved")).textContent).toContain("/home/lead/Downloads/x.csv");
    const saved = calls.find(([c]) => c === "save_report_csv")![1]!;
    expect(saved.table).toBe("spend");
    // "+34" would be a formula in a spreadsheet: it is written as text.
    expect(String(saved.csv)).toContain("marketing,'+34,1,1,0,0.051,1,0.051\r\n");
  });

  it("exports opened, resolved and reopened per day", async () => {
    const calls: [string, Record<string, unknown> | undefined][] = [];
    mockBackend((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "get_report") return REPORT;
      if (cmd === "save_report_csv") return "/tmp/volume.csv";
      return undefined;
    });
    render(<ReportsScreen me="you" onOpenConversation={() => undefined} onClose={() => undefined} />);
    (await screen.findByTestId("export-volume")).click();
    await screen.findByTestId("reports-saved");
    const saved = calls.find(([c]) => c === "save_report_csv")![1]!;
    expect(saved.table).toBe("volume");
    expect(String(saved.csv)).toBe(
      "\ufeffDay,Opened,Resolved,Reopened\r\n2026-03-02,2,1,0\r\n2026-03-03,4,3,2\r\n2026-03-04,1,0,1\r\n",
    );
    expect(screen.getByTestId("table-volume").textContent).toContain("Reopened");
  });

  it("speaks Russian and Spanish", async () => {
    mockBackend((cmd) => (cmd === "get_report" ? REPORT : undefined));
    await setLanguage("ru");
    render(<ReportsScreen me={null} onOpenConversation={() => undefined} onClose={() => undefined} />);
    expect((await screen.findByTestId("missed-total")).textContent).toBe("Пропущено: 1");
    expect(screen.getAllByText("Код партнёра").length).toBeGreaterThan(0);
    cleanup();
    await setLanguage("es");
    render(<ReportsScreen me={null} onOpenConversation={() => undefined} onClose={() => undefined} />);
    expect((await screen.findByTestId("missed-total")).textContent).toBe("Perdidas: 1");
  });

  it("writes durations in the window's language", () => {
    expect(duration(45, "en")).toBe("45 sec");
    expect(duration(null, "en")).toBe("–");
    expect(duration(270, "en")).toBe("4.5 min");
    expect(duration(7200, "es")).toBe("2 h");
  });
});
