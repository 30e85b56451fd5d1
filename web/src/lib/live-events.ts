// Live updates from /api/events. EventSource cannot send headers, so the access token
// goes in the query; the browser resumes with Last-Event-ID by itself after a drop.
import { useEffect } from "react";
import { getAccessToken } from "./api-client";

const kinds = [
  "report.created",
  "report.updated",
  "report.status_changed",
  "report.dispatched",
  "report.confirmed",
  "report.deleted",
  "report.ai_analyzed",
  "alert.raised",
  "alert.acknowledged",
  "vehicle.updated",
];

export function useLiveEvents(enabled: boolean, onEvent: (type: string, data: unknown) => void) {
  useEffect(() => {
    const token = getAccessToken();
    if (!enabled || !token) return;
    const source = new EventSource(`/api/events?accessToken=${encodeURIComponent(token)}`);
    const handler = (e: MessageEvent) => {
      try {
        onEvent(e.type, JSON.parse(e.data));
      } catch {
        // ignore malformed
      }
    };
    kinds.forEach((k) => source.addEventListener(k, handler as EventListener));
    return () => source.close();
    // onEvent is expected to be stable (useCallback) in callers
  }, [enabled, onEvent]);
}
