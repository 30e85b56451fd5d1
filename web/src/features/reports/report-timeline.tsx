// SPDX-License-Identifier: AGPL-3.0-or-later
// A report's history for its reporter: GET /api/reports/:id/events.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { statusKeys } from "@/lib/format";
import { useI18n, type MessageKey } from "@/lib/i18n";
import type { ReportStatus } from "@/lib/types";

interface TimelineEvent {
  id: string;
  type: string;
  newStatus: ReportStatus | null;
  createdAt: string;
  details: { reason?: string; note?: string; vehicleNumber?: string } | null;
}

const eventKeys: Record<string, MessageKey> = {
  "report.created": "eventCreated",
  "report.dispatched": "eventDispatched",
  "report.updated": "eventUpdated",
  "report.confirmed": "eventConfirmed",
  "report.deleted": "eventDeleted",
};

export function ReportTimeline({ reportId, initiallyOpen = false }: { reportId: string; initiallyOpen?: boolean }) {
  const { t, formatDate } = useI18n();
  const [open, setOpen] = useState(initiallyOpen);
  const events = useQuery({
    queryKey: ["reports", "events", reportId],
    queryFn: () => api<{ items: TimelineEvent[] }>(`/api/reports/${reportId}/events`),
    enabled: open,
  });
  return (
    <div>
      <button className="min-h-11 text-sm text-green-800 underline" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t("hideTimeline") : t("timeline")}
      </button>
      {open && (
        <ol className="mt-2 flex flex-col gap-1 border-s-2 border-green-700 ps-3 text-sm" aria-label={t("timeline")}>
          {events.data?.items.map((e) => (
            <li key={e.id}>
              <span className="font-medium">
                {e.type === "report.status_changed" && e.newStatus
                  ? t("eventStatus", { status: t(statusKeys[e.newStatus]) })
                  : t(eventKeys[e.type] ?? "eventUpdated")}
                {e.details?.vehicleNumber ? ` (${e.details.vehicleNumber})` : ""}
                {e.details?.reason ? ` — ${e.details.reason}` : ""}
                {e.details?.note ? ` — ${e.details.note}` : ""}
              </span>
              <span className="block text-slate-600">{formatDate(e.createdAt)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
