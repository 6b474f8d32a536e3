// The rate table's service rates and monthly free allowance: zero until the
// team sets them, saved with the rest of the table, refused when not a
// whole number of messages.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { RateTable } from "../bindings/RateTable";
import { clearMocks, mockBackend, preferenceCall } from "../lib/ipc/testing";
import { RateTableSettings } from "./InboxSettings";

afterEach(() => {
  cleanup();
  clearMocks();
});

const TABLE: RateTable = {
  currency: "EUR",
  source: "test rates",
  countries: { "34": { marketing: 0.051, utility: 0.017, authentication: 0.017, service: 0 } },
  other: { marketing: 0.056, utility: 0.007, authentication: 0.007, service: 0 },
  service_free_per_month: 0,
};

describe("service rates in the rate table", () => {
  it("starts at zero and saves a service rate and a monthly allowance", async () => {
    const saved: unknown[] = [];
    mockBackend((cmd, args) => {
      const preference = preferenceCall(cmd, args);
      if (preference?.key !== "rate_table") return undefined;
      if (cmd === "get_preference") return { key: "rate_table", value: TABLE };
      saved.push(preference.value);
      return { key: "rate_table", value: preference.value };
    });
    render(<RateTableSettings />);
    const spain = await screen.findByTestId("rate-34-service");
    expect((spain as HTMLInputElement).value).toBe("0");
    fireEvent.change(spain, { target: { value: "0.004" } });
    fireEvent.change(screen.getByTestId("rates-service-free"), { target: { value: "1000" } });
    fireEvent.click(screen.getByTestId("rates-save"));
    await waitFor(() => expect(saved).toHaveLength(1));
    const table = saved[0] as RateTable;
    expect(table.countries["34"]?.service).toBe(0.004);
    expect(table.service_free_per_month).toBe(1000);
    await screen.findByTestId("rates-saved");
  });

  it("refuses an allowance that is not a whole number", async () => {
    const saved: unknown[] = [];
    mockBackend((cmd, args) => {
      const preference = preferenceCall(cmd, args);
      if (preference?.key !== "rate_table") return undefined;
      if (cmd === "get_preference") return { key: "rate_table", value: TABLE };
      saved.push(preference.value);
    });
    render(<RateTableSettings />);
    fireEvent.change(await screen.findByTestId("rates-service-free"), { target: { value: "2.5" } });
    fireEvent.click(screen.getByTestId("rates-save"));
    expect((await screen.findByTestId("rates-error")).textContent).toBe(
      "The free service messages each month must be a whole number of zero or more.",
    );
    expect(saved).toHaveLength(0);
  });
});
