// A part loaded on demand: a translated line while it loads, the part once
// loaded, and a failed load shown with a way to try again.
import { Component, type ReactNode, useState } from "react";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../lib/i18n";
import { onDemand } from "./OnDemand";

afterEach(async () => {
  cleanup();
  await setLanguage("en");
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** What the window around the part would catch. */
class Outer extends Component<{ children: ReactNode }, { error: unknown }> {
  state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  render() {
    return this.state.error ? <p data-testid="outer">{String(this.state.error)}</p> : this.props.children;
  }
}

const Greeting = ({ name }: { name: string }) => <p data-testid="greeting">Hello {name}</p>;

describe("a part loaded on demand", () => {
  it("shows a translated line while loading, then the part with its props", async () => {
    await setLanguage("es");
    const load = deferred<typeof Greeting>();
    const Part = onDemand(() => load.promise);
    render(<Part name="Ana" />);
    expect(screen.getByTestId("part-loading").textContent).toBe("Cargando…");
    await act(async () => load.resolve(Greeting));
    expect((await screen.findByTestId("greeting")).textContent).toBe("Hello Ana");
    expect(screen.queryByTestId("part-loading")).toBeNull();
  });

  it("renders a preloaded part in its first frame, without the loading line, loading it once", async () => {
    let calls = 0;
    const Part = onDemand(() => {
      calls += 1;
      return Promise.resolve(Greeting);
    });
    await Part.preload();
    await Part.preload();
    render(<Part name="Cy" />);
    expect(screen.getByTestId("greeting").textContent).toBe("Hello Cy");
    expect(screen.queryByTestId("part-loading")).toBeNull();
    expect(calls).toBe(1);
  });

  it("keeps a loaded part and its state when the window renders it again", async () => {
    const Counter = ({ label }: { label: string }) => {
      const [n, setN] = useState(0);
      return (
        <button type="button" data-testid="counter" onClick={() => setN(n + 1)}>
          {label} {n}
        </button>
      );
    };
    const Part = onDemand(() => Promise.resolve(Counter));
    const { rerender } = render(<Part label="a" />);
    const button = await screen.findByTestId("counter");
    fireEvent.click(button);
    rerender(<Part label="b" />);
    expect(screen.getByTestId("counter")).toBe(button);
    expect(button.textContent).toBe("b 1");
  });

  it("says so when the part cannot load, and loads it again on Try again", async () => {
    let calls = 0;
    const Part = onDemand(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error("the chunk is missing")) : Promise.resolve(Greeting);
    });
    const quiet = console.error;
    console.error = () => undefined;
    try {
      render(<Part name="Bo" />);
      const failed = await screen.findByTestId("part-load-failed");
      expect(failed.textContent).toContain("This part of the window could not be loaded.");
      fireEvent.click(screen.getByRole("button", { name: "Try again" }));
      expect((await screen.findByTestId("greeting")).textContent).toBe("Hello Bo");
      expect(calls).toBe(2);
    } finally {
      console.error = quiet;
    }
  });

  it("lets an error of the loaded part itself go on up", async () => {
    const Broken = () => {
      throw new Error("the part broke");
    };
    const Part = onDemand(() => Promise.resolve(Broken));
    const quiet = console.error;
    console.error = () => undefined;
    try {
      render(
        <Outer>
          <Part />
        </Outer>,
      );
      expect((await screen.findByTestId("outer")).textContent).toBe("Error: the part broke");
      expect(screen.queryByTestId("part-load-failed")).toBeNull();
    } finally {
      console.error = quiet;
    }
  });
});
