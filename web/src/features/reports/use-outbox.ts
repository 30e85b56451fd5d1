// SPDX-License-Identifier: AGPL-3.0-or-later
// Sends queued reports when the connection is back (and when the page loads).
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "@/lib/api-client";
import { listQueued, queueReport, removeQueued, toFormData, type QueuedReport } from "@/lib/outbox";
import { submitReport } from "./api";

export function useOutbox(onSent: () => void) {
  const [queued, setQueued] = useState<QueuedReport[]>([]);
  const reload = useCallback(() => listQueued().then(setQueued).catch(() => setQueued([])), []);

  const flush = useCallback(async () => {
    if (!navigator.onLine) return;
    for (const item of await listQueued()) {
      if (item.error) continue;
      try {
        await submitReport(toFormData(item), item.key, () => {});
        await removeQueued(item.key);
        onSent();
      } catch (err) {
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 429) {
          await queueReport({ ...item, error: err.detail });  // refused: show it, stop retrying
        }
        // network errors: try again at the next "online"
      }
    }
    await reload();
  }, [onSent, reload]);

  useEffect(() => {
    reload().then(flush);
    window.addEventListener("online", flush);
    return () => window.removeEventListener("online", flush);
  }, [flush, reload]);

  return { queued, reload, flush };
}
