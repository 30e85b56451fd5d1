// SPDX-License-Identifier: AGPL-3.0-or-later
// The operator's map: reports (by status or type), live trucks, the heat layer from the
// server's grid counts and the flood-risk areas.
import { lazy, Suspense, useCallback, useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Card, Field, Select } from "@/components/ui";
import { MAP_START, priorityKeys, statusKeys, vehicleStatusKeys } from "@/lib/format";
import { useI18n, type MessageKey } from "@/lib/i18n";
import type { ReportStatus } from "@/lib/types";
import { focusMap, useMapFocus } from "@/lib/map-focus";
import { useWasteLabel } from "@/lib/waste-types";
import { analyticsKeys, fetchGrid } from "@/features/analytics/api";
import { statusColour, typeColour } from "@/features/analytics/trends-card";
import { useFleet } from "@/features/fleet/api";
import { floodColour } from "@/features/flood/api";
import { levelKeys, useFloodRisk } from "@/features/flood/flood-panel";
import { fetchAdminReports, keys, statusFilters as filters } from "@/features/reports/api";

const MapView = lazy(() => import("@/components/map-view"));

const nextStepKey = (s: ReportStatus): MessageKey =>
  s === "submitted" || s === "acknowledged" ? "nextDispatch" : s === "dispatched" || s === "in_progress" ? "nextFollow" : "openReport";

export function WasteMap({ className = "md:col-span-3" }: { className?: string }) {
  const { t } = useI18n();
  const label = useWasteLabel();
  const [filter, setFilter] = useState("");
  const [colourBy, setColourBy] = useState<"status" | "type">("status");
  const reports = useQuery({
    queryKey: keys.adminReports(`map:${filter}`),
    queryFn: () => fetchAdminReports(filter, 200),
  });
  const markers = useMemo(
    () =>
      (reports.data?.items ?? []).map((r) => ({
        id: r.id,
        lat: r.location.lat,
        lng: r.location.lng,
        colour: colourBy === "status" ? statusColour[r.status] : (typeColour[r.wasteType] ?? "#475569"),
        label: `${label(r.wasteType)} — ${t(statusKeys[r.status])}`,
        photo: r.thumbnailUrl,
        details: [
          `${label(r.wasteType)} — ${t(statusKeys[r.status])} · ${t(priorityKeys[r.priority] ?? "priorityMedium")}`,
          [r.location.address, r.location.city].filter(Boolean).join(", "),
          r.description ?? "",
        ].filter(Boolean),
        // The next step: open it, where its actions are.
        link: { href: `/reports/${r.id}`, text: t(nextStepKey(r.status)) },
        city: r.location.city ?? "",
      })),
    [reports.data, label, t, colourBy],
  );
  // The towns on the map, busiest first: one choice flies there.
  const cities = useMemo(() => {
    const by = new Map<string, { name: string; lat: number; lng: number; count: number }>();
    for (const m of markers) {
      if (!m.city) continue;
      const c = by.get(m.city) ?? { name: m.city, lat: 0, lng: 0, count: 0 };
      c.lat += m.lat;
      c.lng += m.lng;
      c.count += 1;
      by.set(m.city, c);
    }
    return [...by.values()]
      .map((c) => ({ ...c, lat: c.lat / c.count, lng: c.lng / c.count }))
      .sort((a, b) => b.count - a.count);
  }, [markers]);
  const clusterLabel = useCallback((n: number) => t("clusterOf", { n }), [t]);
  // Trucks where their drivers' phones last put them; the fleet query follows
  // vehicle.updated events, so they move live.
  const fleet = useFleet();
  const vehicles = useMemo(
    () =>
      (fleet.data?.items ?? [])
        .filter((v) => v.currentLat != null && v.currentLng != null)
        .map((v) => ({
          id: v.id,
          lat: v.currentLat!,
          lng: v.currentLng!,
          number: v.vehicleNumber,
          stale: v.positionStale ?? true,
          label: t(v.positionStale ? "truckStale" : "truckLive", {
            n: v.vehicleNumber,
            status: t(vehicleStatusKeys[v.status] ?? "vehicleIdle"),
          }),
        })),
    [fleet.data, t],
  );
  const [showHeat, setShowHeat] = useState(false);
  const [showFlood, setShowFlood] = useState(true);
  const [view, setView] = useState<{ bbox: string; zoom: number } | null>(null);
  const onViewChange = useCallback((bbox: string, zoom: number) => setView({ bbox, zoom }), []);
  // The heat layer asks the server for counts per grid cell of the visible box only.
  const grid = useQuery({
    queryKey: analyticsKeys.grid(view?.bbox ?? "", view?.zoom ?? 0),
    queryFn: () => fetchGrid(view!.bbox, view!.zoom),
    enabled: showHeat && view !== null,
    placeholderData: (previous) => previous,
  });
  const heat = useMemo(
    () =>
      showHeat && grid.data
        ? { cells: grid.data.cells, cellDegrees: grid.data.cellDegrees, max: grid.data.maxCount, label: (n: number) => t("heatCell", { n }) }
        : null,
    [showHeat, grid.data, t],
  );
  const flood = useFloodRisk();
  const areas = useMemo(
    () =>
      showFlood
        ? (flood.data?.areas ?? [])
            .filter((a) => a.level !== "low")
            .map((a) => ({
              id: a.key,
              lat: a.lat,
              lng: a.lng,
              radiusM: 550,
              colour: floodColour[a.level],
              label: `${t("floodRisk")}: ${t(levelKeys[a.level])} (${a.place ?? ""})`,
            }))
        : [],
    [showFlood, flood.data, t],
  );
  // The first view fits the reports shown (by default those waiting for action).
  const fitTo = useMemo(() => markers.map((m) => [m.lat, m.lng] as [number, number]), [markers]);
  const focus = useMapFocus();
  return (
    <Card title={t("wasteMap")} className={className}>
      <div className="mb-3 flex flex-wrap gap-4">
        <Field id="map-filter" label={t("mapShow")}>
          <Select id="map-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
            {filters.map(([value, key]) => (
              <option key={key} value={value}>
                {t(key)}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="map-colour" label={t("mapColour")}>
          <Select id="map-colour" value={colourBy} onChange={(e) => setColourBy(e.target.value as "status" | "type")}>
            <option value="status">{t("colourStatus")}</option>
            <option value="type">{t("colourType")}</option>
          </Select>
        </Field>
        <fieldset className="flex flex-col gap-1 text-sm">
          <legend className="font-medium text-slate-800">{t("mapLayers")}</legend>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={showHeat} onChange={(e) => setShowHeat(e.target.checked)} />
            {t("heatLayer")}
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={showFlood} onChange={(e) => setShowFlood(e.target.checked)} />
            {t("floodLayer")}
          </label>
        </fieldset>
      </div>
      <Suspense fallback={<p>{t("loading")}</p>}>
        <MapView
          center={MAP_START}
          zoom={5}
          fitTo={fitTo}
          focus={focus}
          markers={markers}
          label={t("wasteMapLabel")}
          className="h-96"
          cluster
          clusterLabel={clusterLabel}
          heat={heat}
          areas={areas}
          vehicles={vehicles}
          onViewChange={onViewChange}
        />
      </Suspense>
      <div className="mt-2 flex flex-wrap items-end justify-between gap-3">
        <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs" aria-label={t("mapLegend")}>
          {colourBy === "status"
            ? (Object.keys(statusColour) as ReportStatus[]).map((st) => (
                <li key={st} className="flex items-center gap-1">
                  <span aria-hidden className="inline-block h-3 w-3 rounded-full" style={{ background: statusColour[st] }} />
                  {t(statusKeys[st])}
                </li>
              ))
            : Object.entries(typeColour).map(([code, colour]) => (
                <li key={code} className="flex items-center gap-1">
                  <span aria-hidden className="inline-block h-3 w-3 rounded-full" style={{ background: colour }} />
                  {label(code)}
                </li>
              ))}
          <li className="flex items-center gap-1">
            <span aria-hidden className="inline-block h-3 w-3 rounded-full bg-slate-900" />
            {t("legendCluster")}
          </li>
        </ul>
        {cities.length > 1 && (
          <Field id="map-city" label={t("mapCity")}>
            <Select
              id="map-city"
              value=""
              onChange={(e) => {
                const c = cities.find((x) => x.name === e.target.value);
                if (c) focusMap(c.lat, c.lng, 12);
              }}
            >
              <option value="">{t("choose")}</option>
              {cities.map((c) => (
                <option key={c.name} value={c.name}>
                  {t("cityWithCount", { city: c.name, n: c.count })}
                </option>
              ))}
            </Select>
          </Field>
        )}
      </div>
    </Card>
  );
}
