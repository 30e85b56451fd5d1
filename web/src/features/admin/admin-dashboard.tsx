// The city operator's dashboard: stat cards, trends, alerts, flood risk, the fleet, the
// waste map with its heat and flood layers, and the reports panel with its actions.
import { lazy, Suspense, useCallback, useMemo, useRef, useState } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Field, Input, Select, StatusBadge } from "@/components/ui";
import { api, ApiError, downloadFile } from "@/lib/api-client";
import { statusKeys, timeAgo } from "@/lib/format";
import { useI18n, type MessageKey } from "@/lib/i18n";
import { useLiveEvents } from "@/lib/live-events";
import type { Report, ReportStatus } from "@/lib/types";
import { changeStatus, dispatchReport, fetchAdminReports, fetchFleet, fetchNearbyAny, keys } from "@/features/reports/api";
import { useWasteLabel } from "@/features/reports/use-waste-label";
import { AiBadge, AiReview } from "@/features/ai/ai-review";
import { AiCard } from "@/features/ai/ai-card";
import { MessagesCard } from "@/features/notifications/messages-card";
import { analyticsKeys, fetchGrid } from "@/features/analytics/api";
import { CitiesCard } from "@/features/analytics/cities-card";
import { StatCards } from "@/features/analytics/stat-cards";
import { statusColour, TrendsCard, typeColour } from "@/features/analytics/trends-card";
import { AlertsPanel } from "@/features/alerts/alerts-panel";
import { floodColour } from "@/features/flood/api";
import { FloodPanel, levelKeys, useFloodRisk } from "@/features/flood/flood-panel";

const MapView = lazy(() => import("@/components/map-view"));

function WasteMap() {
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
  const fleet = useQuery({ queryKey: keys.fleet, queryFn: fetchFleet });
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
  const center: [number, number] = markers.length ? [markers[0].lat, markers[0].lng] : [31.5204, 74.3587];
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
          center={center}
          zoom={12}
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

const filters: [string, MessageKey][] = [
  ["submitted,acknowledged", "filterAction"],
  ["dispatched,in_progress", "filterCleaning"],
  ["resolved,rejected,duplicate", "filterClosed"],
  ["", "filterAll"],
];

function ActionDialog({
  title,
  trigger,
  children,
  open,
  onOpenChange,
}: {
  title: string;
  trigger: string;
  children: React.ReactNode;
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  const { t } = useI18n();
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger asChild>
        <Button variant="secondary">{trigger}</Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-[1000] bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-[1001] max-h-[90vh] w-[90vw] max-w-md -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-5 shadow-xl">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description className="sr-only">{title}</Dialog.Description>
          {children}
          <Dialog.Close asChild>
            <Button variant="secondary" className="mt-3 ms-2">
              {t("cancel")}
            </Button>
          </Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function ReportActions({ report }: { report: Report }) {
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const fleet = useQuery({ queryKey: keys.fleet, queryFn: fetchFleet });
  const [vehicle, setVehicle] = useState("");
  const openDispatch = (o: boolean) => {
    if (o) fleet.refetch();  // vehicles change status while the page is open
    setDispatchOpen(o);
  };
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [dispatchOpen, setDispatchOpen] = useState(false);
  const [rejectOpen, setRejectOpen] = useState(false);
  const [duplicateOpen, setDuplicateOpen] = useState(false);
  const [aiOpen, setAiOpen] = useState(false);
  const [original, setOriginal] = useState("");
  const label = useWasteLabel();
  const candidates = useQuery({
    queryKey: ["reports", "nearby", report.id],
    queryFn: () => fetchNearbyAny(report.location.lat, report.location.lng),
    enabled: duplicateOpen,
  });
  const done = () => {
    setError("");
    setDispatchOpen(false);
    setRejectOpen(false);
    setDuplicateOpen(false);
    queryClient.invalidateQueries({ queryKey: ["reports"] });
    queryClient.invalidateQueries({ queryKey: keys.fleet });
  };
  const fail = (e: unknown) => setError(e instanceof ApiError ? e.detail : t("actionFailed"));
  const status = useMutation({ mutationFn: (body: Record<string, string>) => changeStatus(report.id, body), onSuccess: done, onError: fail });
  const dispatch = useMutation({ mutationFn: () => dispatchReport(vehicle, report.id), onSuccess: done, onError: fail });
  const open: ReportStatus[] = ["submitted", "acknowledged"];
  return (
    <div className="flex flex-wrap gap-2">
      <ActionDialog title={t("aiReview")} trigger={t("aiReview")} open={aiOpen} onOpenChange={setAiOpen}>
        {aiOpen && <AiReview report={report} />}
      </ActionDialog>
      {report.status === "submitted" && (
        <Button variant="secondary" onClick={() => status.mutate({ status: "acknowledged" })}>
          {t("acknowledge")}
        </Button>
      )}
      {open.includes(report.status) && (
        <ActionDialog title={t("dispatchTitle")} trigger={t("dispatch")} open={dispatchOpen} onOpenChange={openDispatch}>
          <Field id={`vehicle-${report.id}`} label={t("vehicle")}>
            <Select id={`vehicle-${report.id}`} value={vehicle} onChange={(e) => setVehicle(e.target.value)}>
              <option value="">{t("choose")}</option>
              {fleet.data?.items
                .filter((v) => v.status === "idle" || v.status === "busy")
                .map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.vehicleNumber} — {v.status}
                    {v.driverName ? `, ${v.driverName}` : ""}
                  </option>
                ))}
            </Select>
          </Field>
          {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
          <Button className="mt-3" disabled={!vehicle || dispatch.isPending} onClick={() => dispatch.mutate()}>
            {t("sendVehicle")}
          </Button>
        </ActionDialog>
      )}
      {(open.includes(report.status) || report.status === "dispatched") && (
        <ActionDialog title={t("rejectTitle")} trigger={t("reject")} open={rejectOpen} onOpenChange={setRejectOpen}>
          <Field id={`reason-${report.id}`} label={t("rejectReason")}>
            <Input id={`reason-${report.id}`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
          <Button variant="danger" className="mt-3" disabled={!reason} onClick={() => status.mutate({ status: "rejected", reason })}>
            {t("reject")}
          </Button>
        </ActionDialog>
      )}
      {open.includes(report.status) && (
        <ActionDialog title={t("duplicateTitle")} trigger={t("markDuplicate")} open={duplicateOpen} onOpenChange={setDuplicateOpen}>
          {candidates.data && candidates.data.items.filter((c) => c.id !== report.id).length === 0 && (
            <p className="text-sm">{t("duplicateNone")}</p>
          )}
          <fieldset className="mt-2 flex flex-col gap-2">
            <legend className="text-sm font-medium">{t("duplicateOf")}</legend>
            {candidates.data?.items
              .filter((c) => c.id !== report.id)
              .map((c) => (
                <label key={c.id} className="flex items-center gap-2 text-sm">
                  <input type="radio" name={`dup-${report.id}`} value={c.id} checked={original === c.id} onChange={() => setOriginal(c.id)} />
                  <img src={c.thumbnailUrl} alt="" className="h-10 w-10 rounded object-cover" />
                  {label(c.wasteType)} · {t("metresAway", { m: Math.round(c.distanceM ?? 0) })} · {t(statusKeys[c.status])}
                </label>
              ))}
          </fieldset>
          {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
          <Button className="mt-3" disabled={!original} onClick={() => status.mutate({ status: "duplicate", duplicateOf: original })}>
            {t("merge")}
          </Button>
        </ActionDialog>
      )}
      {(report.status === "dispatched" || report.status === "in_progress") && (
        <Button variant="secondary" onClick={() => status.mutate({ status: "resolved" })}>
          {t("markResolved")}
        </Button>
      )}
      {error && !dispatchOpen && !rejectOpen && !duplicateOpen && <p role="alert" className="text-sm text-rose-700">{error}</p>}
    </div>
  );
}

function ExportButtons({ filter }: { filter: string }) {
  const { t } = useI18n();
  const [error, setError] = useState("");
  const download = async (format: "csv" | "geojson") => {
    setError("");
    const query = filter ? `?status=${filter}` : "";
    const day = new Date().toISOString().slice(0, 10);
    try {
      await downloadFile(`/api/analytics/export.${format}${query}`, `cleanai-reports-${day}.${format}`);
    } catch (e) {
      setError(t("exportFailed", { why: e instanceof ApiError ? e.detail : String(e) }));
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button variant="secondary" className="py-1" onClick={() => download("csv")}>
        {t("exportCsv")}
      </Button>
      <Button variant="secondary" className="py-1" onClick={() => download("geojson")}>
        {t("exportGeoJson")}
      </Button>
      {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
    </div>
  );
}

function ReportsPanel() {
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
                <AiBadge report={r} />
                <StatusBadge status={r.status} />
                <span className="text-xs uppercase text-slate-600">{t("priority", { p: r.priority })}</span>
                {r.blocksDrain && <span className="text-xs text-rose-800">{t("drainBlocked")}</span>}
              </div>
              <span>{r.location.address}</span>
              {r.description && <span className="text-slate-700">{r.description}</span>}
              <span className="text-slate-600">
                {t("reportedBy", { when: timeAgo(r.createdAt, t, formatDate), who: r.reporter?.username ?? "?", n: r.confirmations })}
              </span>
              <ReportActions report={r} />
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

interface PlanAnswer {
  routes: { vehicleNumber: string; stops: unknown[]; distanceMeters: number }[];
  unassigned: unknown[];
  planned: number;
  dispatched?: number;
  failures?: string[];
}

function FleetPanel() {
  const queryClient = useQueryClient();
  const fleet = useQuery({ queryKey: keys.fleet, queryFn: fetchFleet });
  const { t } = useI18n();
  const [plan, setPlan] = useState<PlanAnswer | null>(null);
  const [error, setError] = useState("");
  const fail = (e: unknown) => setError(e instanceof ApiError ? e.detail : t("actionFailed"));
  // A plan is shown first; dispatching it is a second, deliberate click.
  const preview = useMutation({
    mutationFn: () => api<PlanAnswer>("/api/fleet/plan", { method: "POST", json: {} }),
    onSuccess: (p) => {
      setError("");
      setPlan(p);
    },
    onError: fail,
  });
  const apply = useMutation({
    mutationFn: () => api<PlanAnswer>("/api/fleet/plan", { method: "POST", json: { apply: true } }),
    onSuccess: (p) => {
      setPlan(null);
      setError(p.failures?.length ? p.failures.join("; ") : "");
      queryClient.invalidateQueries({ queryKey: ["reports"] });
      queryClient.invalidateQueries({ queryKey: keys.fleet });
    },
    onError: fail,
  });
  return (
    <Card title={t("fleet")}>
      {fleet.data?.items.length === 0 && <p className="text-sm text-slate-600">{t("noVehicles")}</p>}
      <ul className="flex flex-col gap-2 text-sm">
        {fleet.data?.items.map((v) => (
          <li key={v.id} className="flex justify-between">
            <span>{v.vehicleNumber}</span>
            <span className="capitalize">{v.status}</span>
            <span>
              {v.currentLoad}/{v.capacity}
            </span>
          </li>
        ))}
      </ul>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant="secondary" disabled={preview.isPending} onClick={() => preview.mutate()}>
          {t("planRoutes")}
        </Button>
        {plan && plan.planned > 0 && (
          <Button disabled={apply.isPending} onClick={() => apply.mutate()}>
            {t("dispatchPlan")}
          </Button>
        )}
      </div>
      {plan && (
        <div className="mt-2 text-sm" role="status">
          <p>{t("planSummary", { n: plan.planned, vehicles: plan.routes.filter((r) => r.stops.length > 0).length, left: plan.unassigned.length })}</p>
          <ul className="mt-1 text-xs text-slate-700">
            {plan.routes
              .filter((r) => r.stops.length > 0)
              .map((r) => (
                <li key={r.vehicleNumber}>{t("planRoute", { v: r.vehicleNumber, n: r.stops.length, km: (r.distanceMeters / 1000).toFixed(1) })}</li>
              ))}
          </ul>
        </div>
      )}
      {error && <p role="alert" className="mt-1 text-sm text-rose-700">{error}</p>}
    </Card>
  );
}

export default function AdminDashboard() {
  const queryClient = useQueryClient();
  const lastStats = useRef(0);
  const onEvent = useCallback(
    (type: string) => {
      if (type.startsWith("alert.")) {
        queryClient.invalidateQueries({ queryKey: ["alerts"] });
        return;
      }
      if (type.startsWith("vehicle.")) {
        queryClient.invalidateQueries({ queryKey: keys.fleet });
      } else {
        queryClient.invalidateQueries({ queryKey: ["reports"] });
      }
      if (type === "report.ai_analyzed") queryClient.invalidateQueries({ queryKey: ["ai"] });
      // Statistics follow changes at most every five seconds: a busy city sends many.
      if (Date.now() - lastStats.current > 5000) {
        lastStats.current = Date.now();
        queryClient.invalidateQueries({ queryKey: analyticsKeys.summary });
        queryClient.invalidateQueries({ queryKey: ["flood"] });
      }
    },
    [queryClient],
  );
  useLiveEvents(true, onEvent);
  const { t } = useI18n();
  return (
    <div className="mx-auto grid max-w-6xl gap-6 px-4 py-6 md:grid-cols-3">
      <h1 className="text-2xl font-bold md:col-span-3">{t("dashboardTitle")}</h1>
      <StatCards />
      <AlertsPanel />
      <FloodPanel />
      <FleetPanel />
      <TrendsCard />
      <CitiesCard />
      <AiCard />
      <WasteMap />
      <ReportsPanel />
      <MessagesCard />
    </div>
  );
}
