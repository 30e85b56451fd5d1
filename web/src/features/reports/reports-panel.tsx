// The operator's list of reports by state, with each report's actions; the page adds
// what other features contribute (the AI's badge and review, dispatching a truck).
import { useState, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { Card, StatusBadge } from "@/components/ui";
import { timeAgo } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import type { Report } from "@/lib/types";
import { useWasteLabel } from "@/lib/waste-types";
import { fetchAdminReports, keys, statusFilters as filters } from "./api";
import { ExportButtons } from "./export-buttons";
import { ReportActions } from "./report-actions";

export function ReportsPanel({
  renderBadge,
  renderActions,
}: {
  renderBadge?: (r: Report) => ReactNode;
  renderActions?: (r: Report) => ReactNode;
}) {
  const [filter, setFilter] = useState(filters[0][0]);
  const reports = useQuery({ queryKey: keys.adminReports(filter), queryFn: () => fetchAdminReports(filter) });
  const { t, formatDate } = useI18n();
  const label = useWasteLabel();
  return (
    <Card title={t("citizenReports")} className="md:col-span-3">
      <div className="mb-2 flex justify-end">
        <ExportButtons filter={filter} />
      </div>
      <div role="tablist" aria-label={t("filterReports")} className="mb-3 flex flex-wrap gap-2">
        {filters.map(([value, label]) => (
          <button
            key={label}
            role="tab"
            aria-selected={filter === value}
            className={`rounded-full px-3 py-1 text-sm ${filter === value ? "bg-green-700 text-white" : "bg-slate-100"}`}
            onClick={() => setFilter(value)}
          >
            {t(label)}
          </button>
        ))}
      </div>
      {reports.isLoading && <p>{t("loading")}</p>}
      {reports.data?.items.length === 0 && <p className="text-sm text-slate-600">{t("noReportsHere")}</p>}
      <ul className="flex flex-col divide-y divide-slate-200" aria-label={t("reportsList")}>
        {reports.data?.items.map((r) => (
          <li key={r.id} className="flex flex-col gap-2 py-3 sm:flex-row" data-report-id={r.id}>
            <img src={r.thumbnailUrl} alt={`${r.wasteType} waste reported at ${r.location.address}`} className="h-24 w-24 rounded object-cover" />
            <div className="flex flex-1 flex-col gap-1 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-semibold">{label(r.wasteType)}</span>
                {renderBadge?.(r)}
                <StatusBadge status={r.status} />
                <span className="text-xs uppercase text-slate-600">{t("priority", { p: r.priority })}</span>
                {r.blocksDrain && <span className="text-xs text-rose-800">{t("drainBlocked")}</span>}
              </div>
              <span>{r.location.address}</span>
              {r.description && <span className="text-slate-700">{r.description}</span>}
              <span className="text-slate-600">
                {t("reportedBy", { when: timeAgo(r.createdAt, t, formatDate), who: r.reporter?.username ?? "?", n: r.confirmations })}
              </span>
              <ReportActions report={r}>{renderActions?.(r)}</ReportActions>
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
