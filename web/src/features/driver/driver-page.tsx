// The driver's day on a phone: today's jobs in route order on a map, navigation to each,
// location sharing while on shift, "start cleanup" and "done" with the after photo, and
// unloading at the depot.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Field, Input } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { useLiveEvents } from "@/lib/live-events";
import { useWasteLabel } from "@/lib/waste-types";
import { driverKeys, fetchMyVehicle, fetchRoute, finishCleanup, sendPosition, startCleanup, unload, type RouteStop } from "./api";

const MapView = lazy(() => import("@/components/map-view"));

// Shares the phone's position while `on`, at most one fix every five seconds.
function useLocationSharing(vehicleId: string | undefined, on: boolean) {
  const [error, setError] = useState("");
  const last = useRef(0);
  useEffect(() => {
    if (!on || !vehicleId) return;
    if (!navigator.geolocation) {
      setError("no GPS on this device");
      return;
    }
    setError("");
    const watch = navigator.geolocation.watchPosition(
      (pos) => {
        if (Date.now() - last.current < 5000) return;
        last.current = Date.now();
        sendPosition(vehicleId, pos).catch((e) => setError(e instanceof ApiError ? e.detail : String(e)));
      },
      (e) => setError(e.message),
      { enableHighAccuracy: true, maximumAge: 5000 },
    );
    return () => navigator.geolocation.clearWatch(watch);
  }, [vehicleId, on]);
  return error;
}

function Stop({ stop, index, onChanged }: { stop: RouteStop; index: number; onChanged: () => void }) {
  const { t } = useI18n();
  const label = useWasteLabel();
  const [photo, setPhoto] = useState<File | null>(null);
  const [error, setError] = useState("");
  const fail = (e: unknown) => setError(e instanceof ApiError ? e.detail : t("actionFailed"));
  const begin = useMutation({ mutationFn: () => startCleanup(stop.reportId), onSuccess: onChanged, onError: fail });
  const done = useMutation({ mutationFn: () => finishCleanup(stop.reportId, photo), onSuccess: onChanged, onError: fail });
  return (
    <li className="flex flex-col gap-2 py-3" data-report-id={stop.reportId}>
      <div className="flex items-baseline gap-2">
        <span className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-green-700 font-bold text-white">{index + 1}</span>
        <div className="flex flex-col">
          <span className="font-semibold">
            {label(stop.wasteType)} · {t("priority", { p: stop.priority })}
          </span>
          <span className="text-sm">{stop.address}</span>
          <span className="text-xs text-slate-600">{t("stopEta", { min: Math.round(stop.arrivalSeconds / 60) })}</span>
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <a className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium" href={`geo:${stop.lat},${stop.lng}?q=${stop.lat},${stop.lng}`}>
          {t("navigate")}
        </a>
        {stop.status === "dispatched" && (
          <Button variant="secondary" disabled={begin.isPending} onClick={() => begin.mutate()}>
            {t("startCleanup")}
          </Button>
        )}
        <Field id={`after-${stop.reportId}`} label={t("afterPhoto")}>
          <Input id={`after-${stop.reportId}`} type="file" accept="image/*" capture="environment" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} />
        </Field>
        <Button disabled={done.isPending} onClick={() => done.mutate()}>
          {t("markDone")}
        </Button>
      </div>
      {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
    </li>
  );
}

export default function DriverPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const fleet = useQuery({ queryKey: driverKeys.vehicle, queryFn: fetchMyVehicle });
  const vehicle = fleet.data ?? undefined;
  const route = useQuery({
    queryKey: driverKeys.route(vehicle?.id ?? ""),
    queryFn: () => fetchRoute(vehicle!.id),
    enabled: !!vehicle,
  });
  // On shift until the driver says otherwise, across reloads of the page.
  const [sharing, setSharingState] = useState(() => localStorage.getItem("cleanai.sharing") === "1");
  const setSharing = (on: boolean) => {
    localStorage.setItem("cleanai.sharing", on ? "1" : "0");
    setSharingState(on);
  };
  const locationError = useLocationSharing(vehicle?.id, sharing);
  const refresh = useCallback(() => {
    queryClient.invalidateQueries({ queryKey: ["driver"] });
    queryClient.invalidateQueries({ queryKey: driverKeys.vehicle });
  }, [queryClient]);
  useLiveEvents(true, refresh);
  const emptied = useMutation({ mutationFn: () => unload(vehicle!.id), onSuccess: refresh });
  const stops = useMemo(() => route.data?.stops ?? [], [route.data]);
  const markers = useMemo(
    () =>
      stops.map((s, i) => ({
        id: s.reportId,
        lat: s.lat,
        lng: s.lng,
        colour: "#15803d",
        label: `${i + 1}. ${s.address}`,
      })),
    [stops],
  );
  if (fleet.isLoading) return <p className="p-6">{t("loading")}</p>;
  if (!vehicle) {
    return (
      <div className="mx-auto max-w-xl p-6">
        <h1 className="text-2xl font-bold">{t("driverTitle")}</h1>
        <p className="mt-2">{t("driverNoVehicle")}</p>
      </div>
    );
  }
  const center: [number, number] = route.data ? [route.data.start.lat, route.data.start.lng] : [31.5204, 74.3587];
  return (
    <div className="mx-auto flex max-w-xl flex-col gap-4 px-4 py-6">
      <h1 className="text-2xl font-bold">
        {t("driverTitle")} — {vehicle.vehicleNumber}
      </h1>
      <Card>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" checked={sharing} onChange={(e) => setSharing(e.target.checked)} />
          {t("shareLocation")}
        </label>
        {sharing && !locationError && <p className="mt-1 text-sm text-green-800">{t("sharing")}</p>}
        {locationError && <p role="alert" className="mt-1 text-sm text-rose-700">{t("locationError", { why: locationError })}</p>}
        <div className="mt-3 flex items-center justify-between gap-2 text-sm">
          <span>{t("loadOf", { load: vehicle.currentLoad, capacity: vehicle.capacity })}</span>
          <Button variant="secondary" disabled={emptied.isPending || vehicle.currentLoad === 0} onClick={() => emptied.mutate()}>
            {t("unload")}
          </Button>
        </div>
      </Card>
      <Card title={route.data ? t("routeSummary", { n: stops.length, km: (route.data.distanceMeters / 1000).toFixed(1), min: Math.round(route.data.durationSeconds / 60) }) : t("loading")}>
        {route.error && <p role="alert" className="text-sm text-rose-700">{route.error instanceof ApiError ? route.error.detail : t("actionFailed")}</p>}
        {stops.length > 0 && (
          <Suspense fallback={<p>{t("loading")}</p>}>
            <MapView center={center} zoom={13} markers={markers} label={t("routeMapLabel")} className="h-64" />
          </Suspense>
        )}
        {route.data && stops.length === 0 && <p className="text-sm text-slate-600">{t("noStops")}</p>}
        <ol className="flex flex-col divide-y divide-slate-200" aria-label={t("routeStops")}>
          {stops.map((s, i) => (
            <Stop key={s.reportId} stop={s} index={i} onChanged={refresh} />
          ))}
        </ol>
      </Card>
    </div>
  );
}
