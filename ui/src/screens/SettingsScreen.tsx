// Settings: the connection, the inbox's options, the language and the desktop.
import { SettingsScreen as Settings } from "../components/SettingsScreen";
import type { ScreenProps } from "./props";

export function SettingsScreen({ session, onSession, onClose }: ScreenProps) {
  return <Settings session={session} onSession={onSession} onClose={onClose} />;
}
