import { useCallback } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Card, StatusBadge } from "@/components/ui";
import { useAuth } from "@/lib/auth";
import { timeAgo } from "@/lib/format";
import { useLiveEvents } from "@/lib/live-events";
import { fetchMyReports, keys } from "./api";
import { ReportForm } from "./report-form";
import { useOutbox } from "./use-outbox";
import type { QueuedReport } from "@/lib/outbox";

function ReportsSidebar({ userId, queued }: { userId: string; queued: QueuedReport[] }) {
  const reports = useQuery({ queryKey: keys.myReports(userId), queryFn: () => fetchMyReports(userId) });
  return (
    <Card title="Your reports">
      {queued.length > 0 && (
        <ul className="mb-3 flex flex-col gap-2" aria-label="Waiting to send">
          {queued.map((q) => (
            <li key={q.key} className="rounded border border-amber-300 bg-amber-50 p-2 text-sm">
              <span className="font-medium capitalize">{q.fields.wasteType}</span>{" "}
              {q.error ? (
                <span className="text-rose-800">could not be sent: {q.error}</span>
              ) : (
                <span>Waiting to send</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {reports.isLoading && <p>Loading…</p>}
      {reports.isError && <p role="alert">Your reports could not be loaded.</p>}
      {reports.data?.items.length === 0 && <p className="text-sm text-slate-600">No reports yet.</p>}
      <ul className="flex flex-col gap-3" aria-label="Your reports">
        {reports.data?.items.map((r) => (
          <li key={r.id} className="flex gap-3" data-report-id={r.id}>
            <img src={r.thumbnailUrl} alt={`Your ${r.wasteType} report`} className="h-16 w-16 rounded object-cover" />
            <div className="flex flex-col gap-1 text-sm">
              <span className="font-medium capitalize">{r.wasteType}</span>
              <StatusBadge status={r.status} />
              <span className="text-slate-600">{r.location.address}</span>
              <span className="text-slate-600">{timeAgo(r.createdAt)}</span>
              {r.rejectionReason && <span className="text-rose-800">Reason: {r.rejectionReason}</span>}
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export default function UserDashboard() {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const onEvent = useCallback(() => {
    if (user) queryClient.invalidateQueries({ queryKey: keys.myReports(user.id) });
  }, [queryClient, user]);
  useLiveEvents(Boolean(user), onEvent);
  const outbox = useOutbox(onEvent);
  if (!user) return null;
  return (
    <div className="mx-auto grid max-w-6xl gap-6 px-4 py-6 md:grid-cols-[3fr_2fr]">
      <ReportForm userId={user.id} onQueued={outbox.reload} />
      <ReportsSidebar userId={user.id} queued={outbox.queued} />
    </div>
  );
}
