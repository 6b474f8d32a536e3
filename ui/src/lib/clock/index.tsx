// One clock for every countdown: a context that ticks once a second, so the
// whole window updates live without each row running its own timer.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

const NowContext = createContext<number>(Math.floor(Date.now() / 1000));

export function ClockProvider({ children, tickMs = 1000 }: { children: ReactNode; tickMs?: number }) {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  useEffect(() => {
    const id = setInterval(() => setNow(Math.floor(Date.now() / 1000)), tickMs);
    return () => clearInterval(id);
  }, [tickMs]);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}

/** The current time in Unix seconds, updated every tick. */
export function useNow(): number {
  return useContext(NowContext);
}
