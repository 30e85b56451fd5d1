// SPDX-License-Identifier: AGPL-3.0-or-later
// The dashboard's four stat cards and the vehicles on duty (GET /api/analytics/summary).
import { useQuery } from "@tanstack/react-query";
import { useI18n, type MessageKey } from "@/lib/i18n";
import { analyticsKeys, fetchSummary } from "./api";

export function StatCards() {
  const { t, lang } = useI18n();
  const summary = useQuery({ queryKey: analyticsKeys.summary, queryFn: fetchSummary, refetchInterval: 30_000 });
  const n = (v: number) => new Intl.NumberFormat(lang === "ur" ? "ur-PK" : "en-GB").format(v);
  const d = summary.data;
  const cards: [MessageKey, string][] = [
    ["statOpen", d ? n(d.openReports) : "…"],
    ["statToday", d ? n(d.reportsToday) : "…"],
    ["statResolvedWeek", d ? n(d.resolvedLast7Days) : "…"],
    ["statMedian", d ? (d.medianHoursToResolve === null ? "—" : t("hours", { n: n(d.medianHoursToResolve) })) : "…"],
    ["statVehicles", d ? t("ofTotal", { n: n(d.activeVehicles), total: n(d.vehicles) }) : "…"],
  ];
  return (
    <dl className="grid gap-4 sm:grid-cols-2 md:col-span-3 md:grid-cols-5">
      {cards.map(([key, value]) => (
        <div key={key} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <dt className="text-sm text-slate-700">{t(key)}</dt>
          <dd className="text-3xl font-bold text-green-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
