import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { UpdateCheck as Found } from "../bindings/UpdateCheck";
import { clearMocks, emit, mockIPC } from "../lib/ipc/testing";
import { UpdateCheck } from "./UpdateCheck";

const AVAILABLE: Found = {
  status: "available",
  current: "0.1.0",
  version: "0.2.0",
  notes: "Faster search",
  date: "2026-01-01T00:00:00Z",
  verified: true,
};

const SIGNATURE_ERROR = {
  code: "update_signature_invalid",
  message: "The downloaded update is not signed by Hourglass and was refused. Nothing was installed.",
};

afterEach(() => {
  cleanup();
  clearMocks();
});

/** Mocks the updater commands; returns the names of the commands called. */
function backend(check: () => Found, pending: Found | null = null): string[] {
  const calls: string[] = [];
  mockIPC(
    (cmd) => {
      calls.push(cmd);
      if (cmd === "check_for_updates") return check();
      if (cmd === "pending_update") return pending;
      if (cmd === "install_update") return null;
      throw new Error(`unexpected command ${cmd}`);
    },
    { shouldMockEvents: true },
  );
  return calls;
}

/** What the Rust side sends when the quiet check on start has a verified update. */
async function emitUpdateReady(payload: Found) {
  await act(() => emit("update_ready", payload));
}

describe("UpdateCheck", () => {
  it("says the running version is up to date, and offers nothing to install", async () => {
    backend(() => ({ status: "up_to_date", current: "0.1.0" }));
    render(<UpdateCheck />);
    expect(screen.queryByTestId("update-status")).toBeNull();
    fireEvent.click(screen.getByTestId("update-check"));
    await waitFor(() => expect(screen.getByTestId("update-status").textContent).toBe("Hourglass 0.1.0 is up to date"));
    expect(screen.queryByTestId("update-install")).toBeNull();
  });

  it("offers a verified newer version and installs it on request", async () => {
    const calls = backend(() => AVAILABLE);
    render(<UpdateCheck />);
    fireEvent.click(screen.getByTestId("update-check"));
    await waitFor(() =>
      expect(screen.getByTestId("update-status").textContent).toBe("Hourglass 0.2.0 is available and verified"),
    );
    expect(calls).not.toContain("install_update");
    fireEvent.click(screen.getByTestId("update-install"));
    await waitFor(() => expect(calls).toContain("install_update"));
    expect(screen.getByTestId("update-status").textContent).toBe("Installing Hourglass 0.2.0…");
  });

  it("shows a refused signature as an alert and offers no install", async () => {
    backend(() => {
      throw SIGNATURE_ERROR;
    });
    render(<UpdateCheck />);
    fireEvent.click(screen.getByTestId("update-check"));
    const status = await screen.findByRole("alert");
    expect(status.textContent).toBe(SIGNATURE_ERROR.message);
    expect(status.dataset.code).toBe("update_signature_invalid");
    expect(screen.queryByTestId("update-install")).toBeNull();
    expect(screen.queryByTestId("update-banner")).toBeNull();
  });

  it("shows the banner when the quiet check's event arrives", async () => {
    const calls = backend(() => AVAILABLE);
    render(<UpdateCheck />);
    await waitFor(() => expect(calls).toContain("pending_update"));
    expect(screen.queryByTestId("update-banner")).toBeNull();
    await emitUpdateReady(AVAILABLE);
    expect(screen.getByTestId("update-banner").textContent).toContain("Hourglass 0.2.0 is ready to install");
    fireEvent.click(screen.getByTestId("update-banner-install"));
    await waitFor(() => expect(calls).toContain("install_update"));
  });

  it("shows the banner for an update verified before the window subscribed", async () => {
    backend(() => AVAILABLE, AVAILABLE);
    render(<UpdateCheck />);
    const banner = await screen.findByTestId("update-banner");
    expect(banner.textContent).toContain("Hourglass 0.2.0 is ready to install");
  });
});
