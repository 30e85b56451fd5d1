// SPDX-License-Identifier: AGPL-3.0-or-later
// The driver's day on a phone: today's jobs in route order on a map, navigation to each,
// location sharing while on shift, "start cleanup" and "done" with the after photo, and
// unloading at the depot.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Field, Input } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { downscalePhoto } from "@/lib/downscale";
import { MAP_START, priorityKeys, sizeKey } from "@/lib/format";
import { usePhotoPreview } from "@/lib/use-photo-preview";
import { useI18n } from "@/lib/i18n";
import { useLiveEvents } from "@/lib/live-events";
import { useWasteLabel } from "@/lib/waste-types";
import { driverKeys, fetchMyVehicle, fetchRoute, finishCleanup, handBack, sendPosition, startCleanup, unload, type RouteStop } from "./api";

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
        sendPosition(vehicleId, pos)
          .then(() => setError(""))
          .catch((e) => {
            // Too soon after the last fix (a reload restarts the timer): the next one goes.
            if (e instanceof ApiError && e.status === 429) return;
            setError(e instanceof ApiError ? e.detail : String(e));
          });
      },
      (e) => setError(e.message),
      { enableHighAccuracy: true, maximumAge: 5000 },
    );
    return () => navigator.geolocation.clearWatch(watch);
  }, [vehicleId, on]);
  return error;
}

/** Seconds a "done" or "could not clean" waits before it is sent, so a slip can be undone. */
export const UNDO_SECONDS = 8;

type Pending = { kind: "done" | "handBack"; left: number };

function Stop({ stop, index, onChanged }: { stop: RouteStop; index: number; onChanged: () => void }) {
  const { t } = useI18n();
  const label = useWasteLabel();
  const [photo, setPhoto] = useState<File | null>(null);
  const preview = usePhotoPreview(photo);
  const [reason, setReason] = useState("");
  const [mode, setMode] = useState<"work" | "confirm" | "cannot">("work");
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState("");
  const fail = (e: unknown) => setError(e instanceof ApiError ? e.detail : t("actionFailed"));
  const begin = useMutation({ mutationFn: () => startCleanup(stop.reportId), onSuccess: onChanged, onError: fail });
  const done = useMutation({
    // Shrunk on the phone like the citizen's photo: the proof crosses a mobile network.
    mutationFn: async () => finishCleanup(stop.reportId, await downscalePhoto(photo!)),
    onSuccess: onChanged,
    onError: fail,
  });
  const back = useMutation({ mutationFn: () => handBack(stop.reportId, reason.trim()), onSuccess: onChanged, onError: fail });
  // The undo window: counts down, then sends.
  useEffect(() => {
    if (!pending) return;
    if (pending.left <= 0) {
      setPending(null);
      setMode("work");
      if (pending.kind === "done") done.mutate();
      else back.mutate();
      return;
    }
    const timer = setTimeout(() => setPending({ ...pending, left: pending.left - 1 }), 1000);
    return () => clearTimeout(timer);
  }, [pending, done, back]);
  const busy = done.isPending || back.isPending || pending !== null;
  return (
    <li className="flex flex-col gap-2 py-3" data-report-id={stop.reportId}>
      <div className="flex items-start gap-2">
        <span className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-green-700 font-bold text-white">{index + 1}</span>
        <a href={stop.imageUrl} className="shrink-0" aria-label={t("citizenPhoto")}>
          <img src={stop.thumbnailUrl} alt={t("citizenPhoto")} className="h-20 w-20 rounded object-cover" />
        </a>
        <div className="flex min-w-0 flex-col">
          <span className="font-semibold">
            {label(stop.wasteType)} · {t(priorityKeys[stop.priority] ?? "priorityMedium")}
          </span>
          <span className="break-words text-sm">
            {stop.address}
            {stop.city && !stop.address.includes(stop.city) ? ` · ${stop.city}` : ""}
          </span>
          <span className="text-sm">{t(sizeKey(stop.size))}</span>
          {stop.blocksDrain && <span className="text-sm font-semibold text-rose-800">{t("drainBlocked")}</span>}
          {stop.description && <q className="break-words text-sm text-slate-700">{stop.description}</q>}
          <span className="text-xs text-slate-600">{t("stopEta", { min: Math.round(stop.arrivalSeconds / 60) })}</span>
        </div>
      </div>
      {pending ? (
        <div role="status" className="flex items-center justify-between gap-2 rounded bg-amber-50 p-2 text-sm">
          <span>{t(pending.kind === "done" ? "sendingDone" : "sendingHandBack", { s: pending.left })}</span>
          <Button
            variant="secondary"
            onClick={() => {
              setPending(null);
              setMode("work");
            }}
          >
            {t("undo")}
          </Button>
        </div>
      ) : mode === "confirm" ? (
        <div className="flex flex-col gap-2 rounded border border-green-300 bg-green-50 p-2 text-sm">
          <p>{t("confirmDone")}</p>
          {preview && <img src={preview} alt={t("afterPhoto")} className="max-h-40 w-auto self-start rounded" />}
          <div className="flex gap-2">
            <Button onClick={() => setPending({ kind: "done", left: UNDO_SECONDS })}>{t("confirmDoneYes")}</Button>
            <Button variant="secondary" onClick={() => setMode("work")}>
              {t("cancel")}
            </Button>
          </div>
        </div>
      ) : mode === "cannot" ? (
        <div className="flex flex-col gap-2 rounded border border-amber-300 bg-amber-50 p-2 text-sm">
          <Field id={`why-${stop.reportId}`} label={t("cannotCleanWhy")}>
            <Input id={`why-${stop.reportId}`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <div className="flex gap-2">
            <Button variant="danger" disabled={reason.trim() === ""} onClick={() => setPending({ kind: "handBack", left: UNDO_SECONDS })}>
              {t("handBack")}
            </Button>
            <Button variant="secondary" onClick={() => setMode("work")}>
              {t("cancel")}
            </Button>
          </div>
        </div>
      ) : (
        <div className="flex flex-wrap items-end gap-2">
          <a
            className="inline-flex min-h-11 items-center rounded-md border border-slate-300 px-4 text-sm font-medium"
            href={`geo:${stop.lat},${stop.lng}?q=${stop.lat},${stop.lng}`}
          >
            {t("navigate")}
          </a>
          {stop.status === "dispatched" && (
            <Button variant="secondary" disabled={begin.isPending} onClick={() => begin.mutate()}>
              {t("startCleanup")}
            </Button>
          )}
          <Field id={`after-${stop.reportId}`} label={t("afterPhoto")}>
            <Input
              id={`after-${stop.reportId}`}
              type="file"
              accept="image/*"
              capture="environment"
              onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
            />
          </Field>
          <Button disabled={!photo || busy} onClick={() => setMode("confirm")} aria-describedby={`need-${stop.reportId}`}>
            {t("markDone")}
          </Button>
          <Button variant="secondary" disabled={busy} onClick={() => setMode("cannot")}>
            {t("cannotClean")}
          </Button>
          {!photo && (
            <p id={`need-${stop.reportId}`} className="w-full text-xs text-slate-700">
              {t("doneNeedsPhoto")}
            </p>
          )}
        </div>
      )}
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
  // Every stop and where the truck is, in the first view.
  const self: [number, number] | null =
    vehicle && vehicle.currentLat != null && vehicle.currentLng != null ? [vehicle.currentLat, vehicle.currentLng] : null;
  const fitTo = useMemo(
    () => [...stops.map((st) => [st.lat, st.lng] as [number, number]), ...(self ? [self] : [])],
    // self changes every fix; the first view is fitted once anyway
    // eslint-disable-next-line react-hooks/exhaustive-deps
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
  const center: [number, number] = route.data ? [route.data.start.lat, route.data.start.lng] : MAP_START;
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
            <MapView
              center={center}
              zoom={13}
              markers={markers}
              fitTo={fitTo}
              line={route.data?.polyline ?? []}
              self={self}
              selfLabel={t("youAreHere")}
              label={t("routeMapLabel")}
              className="h-72"
            />
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
