// SPDX-License-Identifier: AGPL-3.0-or-later
import { useCallback } from "react";
import { Link } from "react-router-dom";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Card, StatusBadge } from "@/components/ui";
import { useAuth } from "@/lib/auth";
import { timeAgo } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import { useLiveEvents } from "@/lib/live-events";
import { fetchMyReports, keys } from "@/features/reports/api";
import { ReportForm } from "@/features/reports/report-form";
import { useOutbox } from "@/features/reports/use-outbox";
import { useWasteLabel } from "@/lib/waste-types";
import { ReportTimeline } from "@/features/reports/report-timeline";
import type { QueuedReport } from "@/lib/outbox";
import { AiSuggestion } from "@/features/ai/ai-suggestion";

function ReportsSidebar({ userId, queued }: { userId: string; queued: QueuedReport[] }) {
  const reports = useQuery({ queryKey: keys.myReports(userId), queryFn: () => fetchMyReports(userId) });
  const { t, formatDate } = useI18n();
  const label = useWasteLabel();
  return (
    <Card title={t("yourReports")}>
      {queued.length > 0 && (
        <ul className="mb-3 flex flex-col gap-2" aria-label={t("waitingToSend")}>
          {queued.map((q) => (
            <li key={q.key} className="rounded border border-amber-300 bg-amber-50 p-2 text-sm">
              <span className="font-medium">{label(q.fields.wasteType)}</span>{" "}
              {q.error ? (
                <span className="text-rose-800">{t("couldNotSend", { reason: q.error })}</span>
              ) : (
                <span>{t("waitingToSend")}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {reports.isLoading && <p>{t("loading")}</p>}
      {reports.isError && <p role="alert">{t("reportsFailed")}</p>}
      {reports.data?.items.length === 0 && <p className="text-sm text-slate-600">{t("noReports")}</p>}
      <ul className="flex flex-col gap-3" aria-label={t("yourReports")}>
        {reports.data?.items.map((r) => (
          <li key={r.id} className="flex gap-3" data-report-id={r.id}>
            <img src={r.thumbnailUrl} alt={`${r.wasteType}: ${r.location.address}`} className="h-16 w-16 rounded object-cover" />
            <div className="flex flex-col gap-1 text-sm">
              <Link className="font-medium text-green-800 underline" to={`/reports/${r.id}`}>
                {label(r.wasteType)}
              </Link>
              <StatusBadge status={r.status} />
              <span className="text-slate-600">{r.location.address}</span>
              <span className="text-slate-600">{timeAgo(r.createdAt, t, formatDate)}</span>
              {r.rejectionReason && <span className="text-rose-800">{t("reasonLabel", { reason: r.rejectionReason })}</span>}
              <ReportTimeline reportId={r.id} />
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
  // The form is drawn before the session is back (see RequireRole): it needs no user
  // until it sends, and its requests wait for the session.
  return (
    <div className="mx-auto grid max-w-6xl gap-6 px-4 py-6 md:grid-cols-[3fr_2fr]">
      <ReportForm
        onQueued={outbox.reload}
        waiting={outbox.queued.filter((q) => !q.error).length}
        suggestion={(photo, current, use) => <AiSuggestion photo={photo} current={current} onUse={use} />}
      />
      {user && <ReportsSidebar userId={user.id} queued={outbox.queued} />}
    </div>
  );
}
