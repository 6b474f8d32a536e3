// The main area's screens, by name. The inbox (the open chat) is the
// default; every other screen is a file of its own, listed once here,
// loaded on demand, and reaches the inbox only through `ScreenProps`.
import type { ComponentType, ReactNode } from "react";
import { onDemand } from "../components/OnDemand";
import type { ScreenProps } from "./props";

export type { ScreenProps } from "./props";

// Each screen's code is loaded the first time it is opened: the first
// script holds only the inbox.
const SCREENS = {
  connect: onDemand(() => import("./ConnectScreen").then((m) => m.ConnectScreen)),
  settings: onDemand(() => import("./SettingsScreen").then((m) => m.SettingsScreen)),
  notifications: onDemand(() => import("./NotificationsScreen").then((m) => m.NotificationsScreen)),
  reports: onDemand(() => import("./ReportsScreen").then((m) => m.ReportsScreen)),
  health: onDemand(() => import("./AccountHealthScreen").then((m) => m.AccountHealthScreen)),
  "lead-links": onDemand(() => import("./LeadLinksScreen").then((m) => m.LeadLinksScreen)),
} satisfies Record<string, ComponentType<ScreenProps>>;

export type Screen = "inbox" | keyof typeof SCREENS;

type Props = ScreenProps & {
  screen: Screen;
  /** What the inbox shows in the main area. */
  inbox: ReactNode;
};

export function ScreenRouter({ screen, inbox, ...props }: Props) {
  if (screen === "inbox") return inbox;
  const Shown = SCREENS[screen];
  return <Shown {...props} />;
}
