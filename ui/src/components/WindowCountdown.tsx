import type { ServiceWindow } from "../bindings/ServiceWindow";
import { useNow } from "../lib/clock";
import { fullTime } from "../lib/format/time";
import { type TFunction, useTranslation } from "../lib/i18n";
import { longLabel, serviceWindow, shortLabel } from "../lib/window";

type Props = { lastInboundAt: number | null; variant: "list" | "header" };

// Inline SVG so the icons do not depend on the fonts installed.
function Icon({ state }: { state: ServiceWindow["state"] }) {
  const common = {
    width: 12,
    height: 12,
    viewBox: "0 0 16 16",
    fill: "none",
    stroke: "currentColor",
    strokeWidth: 1.8,
    strokeLinecap: "round" as const,
    strokeLinejoin: "round" as const,
    "aria-hidden": true,
    className: "window-icon",
  };
  switch (state) {
    case "open":
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.2" />
          <path d="M8 4.5V8l2.4 1.6" />
        </svg>
      );
    case "closing":
      return (
        <svg {...common}>
          <path d="M4 1.8h8M4 14.2h8M5 1.8c0 3.2 3 4.2 3 6.2s-3 3-3 6.2M11 1.8c0 3.2-3 4.2-3 6.2s3 3 3 6.2" />
        </svg>
      );
    case "closed":
      return (
        <svg {...common}>
          <rect x="3" y="7" width="10" height="7.2" rx="1.5" />
          <path d="M5.3 7V5a2.7 2.7 0 0 1 5.4 0v2" />
        </svg>
      );
    case "never_opened":
      return (
        <svg {...common}>
          <path d="M3.5 8h9" />
        </svg>
      );
  }
}

function describe(w: ServiceWindow, t: TFunction): string {
  switch (w.state) {
    case "open":
    case "closing":
      return t("window.openHint", { time: fullTime(w.closes_at) });
    case "closed":
      return t("window.closedHint", { time: fullTime(w.closed_at) });
    case "never_opened":
      return t("window.neverOpenedHint");
  }
}

/** Time left in the 24-hour window, by text, icon and colour (never colour alone). */
export function WindowCountdown({ lastInboundAt, variant }: Props) {
  const now = useNow();
  const { t } = useTranslation();
  const w = serviceWindow(lastInboundAt, now);
  const label = variant === "header" ? longLabel(w, now) : shortLabel(w, now);
  return (
    <span
      className={`window-countdown ${w.state} ${variant}`}
      data-testid="window-countdown"
      data-state={w.state}
      title={describe(w, t)}
      aria-label={t("window.label", { label })}
    >
      <Icon state={w.state} />
      {variant === "header" && w.state !== "closed" && w.state !== "never_opened" && (
        <span className="window-prefix">{t("window.prefix")} </span>
      )}
      {label}
    </span>
  );
}
