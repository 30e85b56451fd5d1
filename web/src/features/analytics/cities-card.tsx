// SPDX-License-Identifier: AGPL-3.0-or-later
// Where the reports come from, and how fast the city answers them.
import { useQuery } from "@tanstack/react-query";
import { Card } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { analyticsKeys, fetchCities, fetchResponseTimes, type Percentiles } from "./api";

export function CitiesCard() {
  const { t } = useI18n();
  const cities = useQuery({ queryKey: analyticsKeys.cities(30), queryFn: () => fetchCities(30), refetchInterval: 60_000 });
  const times = useQuery({ queryKey: analyticsKeys.times(30), queryFn: () => fetchResponseTimes(30), refetchInterval: 60_000 });
  const items = (cities.data?.items ?? []).slice(0, 6);
  const max = Math.max(1, ...items.map((c) => c.reports));
  const hours = (h: number | null) => (h === null ? "—" : t("hours", { n: h }));
  const line = (p: Percentiles | undefined) =>
    !p || p.count === 0 ? t("noData") : t("percentiles", { p50: hours(p.p50Hours), p90: hours(p.p90Hours) });
  return (
    <Card title={t("cities")}>
      {items.length === 0 && <p className="text-sm text-slate-600">{t("noData")}</p>}
      <ul className="flex flex-col gap-2 text-sm">
        {items.map((c) => (
          <li key={c.city ?? "?"}>
            <div className="flex justify-between">
              <span className="font-medium">{c.city ?? t("cityUnknown")}</span>
              <span className="text-slate-700">{t("cityRow", { n: c.reports, open: c.open })}</span>
            </div>
            <svg viewBox="0 0 100 4" className="h-1.5 w-full" aria-hidden="true" preserveAspectRatio="none">
              <rect width="100" height="4" fill="#e2e8f0" />
              <rect width={(100 * c.reports) / max} height="4" fill="#15803d" />
            </svg>
          </li>
        ))}
      </ul>
      <h3 className="mt-4 text-sm font-semibold">{t("responseTimes")}</h3>
      <dl className="mt-1 text-sm">
        <dt className="text-slate-700">{t("toAcknowledge")}</dt>
        <dd>{line(times.data?.toAcknowledge)}</dd>
        <dt className="mt-1 text-slate-700">{t("toResolve")}</dt>
        <dd>{line(times.data?.toResolve)}</dd>
      </dl>
    </Card>
  );
}
