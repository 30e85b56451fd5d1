// SPDX-License-Identifier: AGPL-3.0-or-later
// The operator's reports workspace: by state, in work order (most urgent, then oldest) or
// by age, searched and filtered by type, town and truck, a page at a time ("Show more"),
// each report with its actions. The page adds what other features contribute: the AI's
// badge and review, dispatching, and the trucks to filter by.
import { useEffect, useState, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Button, Card, Field, Input, Select, StatusBadge } from "@/components/ui";
import { priorityKeys, timeAgo } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import type { Report } from "@/lib/types";
import { useWasteLabel, useWasteTypes } from "@/lib/waste-types";
import { fetchReportPage, keys, statusFilters as filters, type ReportQuery } from "./api";
import { ExportButtons } from "./export-buttons";
import { ReportActions } from "./report-actions";

const PAGE = 25;

export function ReportsPanel({
  renderBadge,
  renderActions,
  renderTruck,
  trucks = [],
  className = "",
}: {
  renderBadge?: (r: Report) => ReactNode;
  renderActions?: (r: Report) => ReactNode;
  /** The assigned truck of a dispatched report, as the page names it. */
  renderTruck?: (r: Report) => ReactNode;
  trucks?: { id: string; label: string }[];
  className?: string;
}) {
  const { t, formatDate, lang } = useI18n();
  const label = useWasteLabel();
  const types = useWasteTypes();
  const [status, setStatus] = useState(filters[0][0]);
  const [sort, setSort] = useState<ReportQuery["sort"]>("priority");
  const [type, setType] = useState("");
  const [vehicle, setVehicle] = useState("");
  const [search, setSearch] = useState("");
  const [city, setCity] = useState("");
  // Typing waits a moment before asking the server.
  const [typed, setTyped] = useState({ q: "", city: "" });
  useEffect(() => {
    const timer = setTimeout(() => setTyped({ q: search, city }), 350);
    return () => clearTimeout(timer);
  }, [search, city]);
  const query: ReportQuery = { status, sort, q: typed.q, type, city: typed.city, vehicle };
  const reports = useInfiniteQuery({
    queryKey: keys.workspace(query),
    queryFn: ({ pageParam }) => fetchReportPage(query, pageParam, PAGE),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = reports.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title={t("citizenReports")} className={className}>
      <div className="mb-2 flex justify-end">
        <ExportButtons filter={status} />
      </div>
      <div role="tablist" aria-label={t("filterReports")} className="mb-3 flex flex-wrap gap-2">
        {filters.map(([value, key]) => (
          <button
            key={key}
            role="tab"
            aria-selected={status === value}
            className={`min-h-11 rounded-full px-4 text-sm ${status === value ? "bg-green-700 text-white" : "bg-slate-100"}`}
            onClick={() => setStatus(value)}
          >
            {t(key)}
          </button>
        ))}
      </div>
      <div className="mb-3 grid gap-2 sm:grid-cols-2 lg:grid-cols-5">
        <Field id="reports-search" label={t("searchReports")}>
          <Input id="reports-search" type="search" value={search} maxLength={100} onChange={(e) => setSearch(e.target.value)} />
        </Field>
        <Field id="reports-sort" label={t("sortReports")}>
          <Select id="reports-sort" value={sort} onChange={(e) => setSort(e.target.value as ReportQuery["sort"])}>
            <option value="priority">{t("sortPriority")}</option>
            <option value="newest">{t("sortNewest")}</option>
            <option value="oldest">{t("sortOldest")}</option>
          </Select>
        </Field>
        <Field id="reports-type" label={t("wasteType")}>
          <Select id="reports-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">{t("anyType")}</option>
            {types.data?.items.map((w) => (
              <option key={w.code} value={w.code}>
                {lang === "ur" ? w.labelUr : w.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="reports-city" label={t("town")}>
          <Input id="reports-city" value={city} maxLength={100} onChange={(e) => setCity(e.target.value)} />
        </Field>
        <Field id="reports-truck" label={t("truck")}>
          <Select id="reports-truck" value={vehicle} onChange={(e) => setVehicle(e.target.value)}>
            <option value="">{t("anyTruck")}</option>
            {trucks.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {reports.isLoading && <p>{t("loading")}</p>}
      {reports.isError && <p role="alert">{t("reportsFailed")}</p>}
      {reports.data && items.length === 0 && <p className="text-sm text-slate-600">{t("noReportsHere")}</p>}
      <ul className="flex flex-col divide-y divide-slate-200" aria-label={t("reportsList")}>
        {items.map((r) => (
          <li key={r.id} className="flex flex-col gap-2 py-3 sm:flex-row" data-report-id={r.id}>
            <img src={r.thumbnailUrl} alt={`${label(r.wasteType)}: ${r.location.address}`} className="h-24 w-24 rounded object-cover" />
            <div className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <Link className="font-semibold text-green-900 underline" to={`/reports/${r.id}`}>
                  {label(r.wasteType)}
                </Link>
                {renderBadge?.(r)}
                <StatusBadge status={r.status} />
                <span className="text-xs font-semibold text-slate-700">{t(priorityKeys[r.priority] ?? "priorityMedium")}</span>
                {r.blocksDrain && <span className="text-xs text-rose-800">{t("drainBlocked")}</span>}
                {r.dispatchedTo && renderTruck?.(r)}
              </div>
              <span className="break-words">
                {r.location.address}
                {r.location.city && !r.location.address.includes(r.location.city) ? ` · ${r.location.city}` : ""}
              </span>
              {r.description && <span className="break-words text-slate-700">{r.description}</span>}
              <span className="text-slate-600">
                {t("reportedBy", { when: timeAgo(r.createdAt, t, formatDate), who: r.reporter?.username ?? "?", n: r.confirmations })}
              </span>
              <ReportActions report={r}>{renderActions?.(r)}</ReportActions>
            </div>
          </li>
        ))}
      </ul>
      {items.length > 0 && (
        <div className="mt-3 flex flex-wrap items-center gap-3 text-sm">
          <span role="status">{t("showingReports", { n: items.length })}</span>
          {reports.hasNextPage && (
            <Button variant="secondary" disabled={reports.isFetchingNextPage} onClick={() => reports.fetchNextPage()}>
              {t("showMoreReports")}
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
