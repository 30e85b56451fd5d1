// SPDX-License-Identifier: AGPL-3.0-or-later
// Live updates from /api/events. EventSource cannot send headers, so the access token
// goes in the query; the browser resumes with Last-Event-ID by itself after a drop.
// One connection per tab, shared by every component that listens (the header's inbox
// badge and a dashboard would otherwise hold two). When the server closes the stream for
// good (the access token in the URL expired), it is reopened with a fresh token from the
// last event id, so nothing is missed.
import { useEffect } from "react";
import { getAccessToken, refreshSession } from "./api-client";

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
  "notification.created",
];

type Listener = (type: string, data: unknown) => void;
const listeners = new Set<Listener>();
let shared: { source: EventSource; token: string } | null = null;
let lastId = "";
let retryMs = 2000;

function connect() {
  const token = getAccessToken();
  if (shared && (shared.token !== token || listeners.size === 0)) {
    shared.source.close();
    shared = null;
  }
  if (shared || !token || listeners.size === 0) return;
  const resume = lastId ? `&lastEventId=${encodeURIComponent(lastId)}` : "";
  const source = new EventSource(`/api/events?accessToken=${encodeURIComponent(token)}${resume}`);
  source.onopen = () => {
    retryMs = 2000;
    // A stream opened without a place to resume from starts at "now": what happened
    // between a page's first fetch and this moment was not streamed. Listeners hear
    // "stream.opened" and refresh what they show.
    if (!resume) listeners.forEach((l) => l("stream.opened", null));
  };
  source.onerror = () => {
    if (source.readyState !== EventSource.CLOSED || shared?.source !== source) return;  // the browser retries
    shared = null;
    setTimeout(() => void refreshSession().finally(connect), retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  };
  const handler = (e: MessageEvent) => {
    if (e.lastEventId) lastId = e.lastEventId;
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;  // ignore malformed
    }
    listeners.forEach((l) => l(e.type, data));
  };
  kinds.forEach((k) => source.addEventListener(k, handler as EventListener));
  shared = { source, token };
}

export function useLiveEvents(enabled: boolean, onEvent: Listener) {
  useEffect(() => {
    if (!enabled) return;
    listeners.add(onEvent);
    connect();
    return () => {
      listeners.delete(onEvent);
      connect();  // closes the connection when nobody listens any more
    };
    // onEvent is expected to be stable (useCallback) in callers
  }, [enabled, onEvent]);
}
