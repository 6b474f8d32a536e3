// A value read from the store for one conversation, read again whenever the
// sync applies something (colleagues' actions arrive that way, like messages).
import { useCallback, useEffect, useState } from "react";
import type { ConversationId } from "../../bindings/ConversationId";
import { onSyncUpdate } from "../ipc";

/** `load(id)`'s answer, kept fresh as the relay's log arrives; `null` until the first answer. */
export function useSynced<T>(
  conversationId: ConversationId,
  load: (id: ConversationId) => Promise<T>,
) {
  const [value, setValue] = useState<T | null>(null);
  const reload = useCallback(() => {
    load(conversationId).then(setValue, () => undefined);
  }, [conversationId, load]);
  useEffect(() => {
    reload();
    const stop = onSyncUpdate(() => reload());
    return () => void stop.then((unlisten) => unlisten());
  }, [reload]);
  return [value, setValue] as const;
}
