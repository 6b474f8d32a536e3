// The main area's screens, by name. The inbox (the open chat) is the
// default; every other screen is a file of its own, listed once here, and
// reaches the inbox only through `ScreenProps`.
import type { ComponentType, ReactNode } from "react";
import { AccountHealthScreen } from "./AccountHealthScreen";
import { ConnectScreen } from "./ConnectScreen";
import { LeadLinksScreen } from "./LeadLinksScreen";
import { NotificationsScreen } from "./NotificationsScreen";
import type { ScreenProps } from "./props";
import { ReportsScreen } from "./ReportsScreen";
import { SettingsScreen } from "./SettingsScreen";

export type { ScreenProps } from "./props";

const SCREENS = {
  connect: ConnectScreen,
  settings: SettingsScreen,
  notifications: NotificationsScreen,
  reports: ReportsScreen,
  health: AccountHealthScreen,
  "lead-links": LeadLinksScreen,
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
