// Parts of the window loaded the first time they are shown (settings,
// reports, the template picker, the contact panel…), so the first script
// holds only the inbox. While a part loads, a short translated line stands
// in for it; should its chunk fail to load, the place says so and offers to
// try again instead of leaving the window blank.
import { Component, type ComponentType, type ErrorInfo, lazy, type ReactNode, Suspense, useState } from "react";
import { useTranslation } from "../lib/i18n";

/** A part's chunk did not load (as opposed to the part failing once loaded). */
class PartLoadError extends Error {
  constructor(cause: unknown) {
    super(`a part of the window could not be loaded: ${String(cause)}`, { cause });
  }
}

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted centered" role="status" data-testid="part-loading">
      {t("app.loadingPart")}
    </p>
  );
}

function LoadFailed({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="centered" role="alert" data-testid="part-load-failed">
      <p>{t("app.loadPartFailed")}</p>
      <button type="button" onClick={onRetry}>
        {t("app.tryAgain")}
      </button>
    </div>
  );
}

type BoundaryProps = { onRetry: () => void; children: ReactNode };

/** Catches a part's failed load; any other error goes on up, as before. */
class LoadBoundary extends Component<BoundaryProps, { failed: PartLoadError | null; other: unknown }> {
  state = { failed: null as PartLoadError | null, other: null as unknown };

  static getDerivedStateFromError(error: unknown) {
    return error instanceof PartLoadError ? { failed: error, other: null } : { failed: null, other: error };
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    if (error instanceof PartLoadError) console.error(error, info.componentStack);
  }

  render() {
    if (this.state.other !== null) throw this.state.other;
    if (this.state.failed) return <LoadFailed onRetry={this.props.onRetry} />;
    return this.props.children;
  }
}

/** A part loaded on demand; `preload` fetches its code ahead of its first render. */
export type OnDemandPart<P extends object> = ComponentType<P> & { preload: () => Promise<void> };

/**
 * A component whose code is fetched the first time it renders, or earlier
 * through `preload`. `load` resolves to the component (e.g.
 * `() => import("./X").then((m) => m.X)`). Once loaded it renders at once,
 * without the loading line. A load that fails is not kept: "Try again"
 * fetches it anew.
 */
export function onDemand<P extends object>(load: () => Promise<ComponentType<P>>): OnDemandPart<P> {
  let loaded: ComponentType<P> | null = null;
  const fetchPart = () =>
    load().then((component) => {
      loaded = component;
      return component;
    });
  const fresh = () =>
    lazy(() =>
      fetchPart().then(
        (component) => ({ default: component }),
        (err: unknown) => {
          throw new PartLoadError(err);
        },
      ),
    );
  let Part = fresh();
  function OnDemand(props: P) {
    // What this place renders is chosen once (and again on "Try again"): a
    // part loaded already renders at once, and a place never swaps the lazy
    // part for the loaded one, which would mount it anew and lose its state.
    const [{ Shown, attempt }, setShown] = useState(() => ({ Shown: loaded ?? Part, attempt: 0 }));
    const retry = () => {
      Part = fresh();
      setShown((s) => ({ Shown: Part, attempt: s.attempt + 1 }));
    };
    return (
      <LoadBoundary key={attempt} onRetry={retry}>
        <Suspense fallback={<Loading />}>
          <Shown {...props} />
        </Suspense>
      </LoadBoundary>
    );
  }
  // A failed preload is the first render's to report (it loads again).
  const preload = () => (loaded ? Promise.resolve() : fetchPart().then(() => undefined, () => undefined));
  return Object.assign(OnDemand, { preload });
}
