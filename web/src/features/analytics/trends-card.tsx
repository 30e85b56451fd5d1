// SPDX-License-Identifier: AGPL-3.0-or-later
// Reports per day for the last 7, 30 or 90 days, stacked by waste type or by status.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Card, Field, Select } from "@/components/ui";
import { statusKeys } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import type { ReportStatus } from "@/lib/types";
import { useWasteLabel } from "@/lib/waste-types";
import { analyticsKeys, fetchSeries } from "./api";
import { StackedBars, type BarSeries } from "./stacked-bars";

export const typeColour: Record<string, string> = {
  plastic: "#0ea5e9", organic: "#65a30d", paper: "#a16207", glass: "#14b8a6", metal: "#64748b",
  "e-waste": "#7c3aed", hazardous: "#dc2626", construction: "#92400e", medical: "#db2777",
  mixed: "#f59e0b", other: "#475569",
};

export const statusColour: Record<ReportStatus, string> = {
  submitted: "#d97706",
  acknowledged: "#0284c7",
  dispatched: "#4f46e5",
  in_progress: "#7c3aed",
  resolved: "#15803d",
  rejected: "#e11d48",
  duplicate: "#64748b",
};

export function TrendsCard() {
  const { t, lang } = useI18n();
  const label = useWasteLabel();
  const [days, setDays] = useState(30);
  const [group, setGroup] = useState<"type" | "status">("type");
  const series = useQuery({ queryKey: analyticsKeys.series(days), queryFn: () => fetchSeries(days), refetchInterval: 60_000 });
  const format = new Intl.DateTimeFormat(lang === "ur" ? "ur-PK" : "en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  const formatDay = (day: string) => format.format(new Date(`${day}T00:00:00Z`));
  const data = series.data;
  const bars: BarSeries[] = !data
    ? []
    : group === "type"
      ? Object.entries(data.byType).map(([code, values]) => ({ key: code, label: label(code), colour: typeColour[code] ?? "#475569", values }))
      : (Object.keys(statusColour) as ReportStatus[]).map((s) => ({
          key: s,
          label: t(statusKeys[s]),
          colour: statusColour[s],
          values: data.byStatus[s] ?? [],
        }));
  return (
    <Card title={t("trends")} className="md:col-span-2">
      <div className="mb-2 flex flex-wrap gap-4">
        <Field id="trend-days" label={t("chartRange")}>
          <Select id="trend-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[7, 30, 90].map((d) => (
              <option key={d} value={d}>
                {t("lastDays", { n: d })}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="trend-group" label={t("chartGroup")}>
          <Select id="trend-group" value={group} onChange={(e) => setGroup(e.target.value as "type" | "status")}>
            <option value="type">{t("byType")}</option>
            <option value="status">{t("byStatus")}</option>
          </Select>
        </Field>
      </div>
      {data ? <StackedBars days={data.days} series={bars} title={t("trends")} formatDay={formatDay} /> : <p>{t("loading")}</p>}
    </Card>
  );
}
