// The operator's map: reports (by status or type), live trucks, the heat layer from the
// server's grid counts and the flood-risk areas.
import { lazy, Suspense, useCallback, useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Card, Field, Select } from "@/components/ui";
import { statusKeys } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import { useMapFocus } from "@/lib/map-focus";
import { useWasteLabel } from "@/lib/waste-types";
import { analyticsKeys, fetchGrid } from "@/features/analytics/api";
import { statusColour, typeColour } from "@/features/analytics/trends-card";
import { useFleet } from "@/features/fleet/api";
import { floodColour } from "@/features/flood/api";
import { levelKeys, useFloodRisk } from "@/features/flood/flood-panel";
import { fetchAdminReports, keys, statusFilters as filters } from "@/features/reports/api";

const MapView = lazy(() => import("@/components/map-view"));

export function WasteMap() {
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
        details: [
          `${label(r.wasteType)} — ${t(statusKeys[r.status])}`,
          r.location.address,
          r.description ?? "",
          t("priority", { p: r.priority }),
        ].filter(Boolean),
      })),
    [reports.data, label, t, colourBy],
  );
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
          label: t(v.positionStale ? "truckStale" : "truckLive", { n: v.vehicleNumber, status: v.status }),
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
    <Card title={t("wasteMap")} className="md:col-span-3">
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
          center={[30.3753, 69.3451]}
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
    </Card>
  );
}
