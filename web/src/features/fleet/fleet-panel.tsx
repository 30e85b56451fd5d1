// SPDX-License-Identifier: AGPL-3.0-or-later
// The fleet at a glance and the route planner: a plan is shown first; dispatching it is a
// second, deliberate click.
import { lazy, Suspense, useMemo, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Card } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { vehicleStatusKeys } from "@/lib/format";
import { queryKeys } from "@/lib/query-keys";
import { fleetKeys, planRoutes, useFleet, type PlanAnswer } from "./api";

const MapView = lazy(() => import("@/components/map-view"));
// One colour per truck's route, none of them a report status's colour.
const routeColours = ["#0891b2", "#c026d3", "#ea580c", "#0f766e", "#4d7c0f", "#9333ea", "#be123c", "#1e40af"];

export function FleetPanel() {
  const queryClient = useQueryClient();
  const fleet = useFleet();
  const { t } = useI18n();
  const [plan, setPlan] = useState<PlanAnswer | null>(null);
  const [error, setError] = useState("");
  const fail = (e: unknown) => setError(e instanceof ApiError ? e.detail : t("actionFailed"));
  // A plan is shown first; dispatching it is a second, deliberate click.
  const preview = useMutation({
    mutationFn: () => planRoutes(false),
    onSuccess: (p) => {
      setError("");
      setPlan(p);
    },
    onError: fail,
  });
  const apply = useMutation({
    mutationFn: () => planRoutes(true),
    onSuccess: (p) => {
      setPlan(null);
      setError(p.failures?.length ? p.failures.join("; ") : "");
      queryClient.invalidateQueries({ queryKey: queryKeys.reports });
      queryClient.invalidateQueries({ queryKey: fleetKeys.all });
    },
    onError: fail,
  });
  // The plan on a map before it is dispatched: each truck's stops in order, its colour.
  const planned = useMemo(() => (plan?.routes ?? []).filter((r) => r.stops.length > 0), [plan]);
  const lines = planned.map((r, i) => ({ points: r.polyline, colour: routeColours[i % routeColours.length], label: r.vehicleNumber }));
  const stops = planned.flatMap((r, i) =>
    r.stops.map((st, n) => ({
      id: st.reportId,
      lat: st.lat,
      lng: st.lng,
      colour: routeColours[i % routeColours.length],
      label: `${r.vehicleNumber} ${n + 1}: ${st.address}`,
    })),
  );
  const fitTo = useMemo(() => stops.map((m) => [m.lat, m.lng] as [number, number]), [stops]);
  return (
    <Card title={t("fleet")}>
      {fleet.data?.items.length === 0 && <p className="text-sm text-slate-600">{t("noVehicles")}</p>}
      <ul className="flex flex-col gap-2 text-sm">
        {fleet.data?.items.map((v) => (
          <li key={v.id} className="flex justify-between">
            <span>{v.vehicleNumber}</span>
            <span>{t(vehicleStatusKeys[v.status] ?? "vehicleIdle")}</span>
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
      {plan && stops.length > 0 && (
        <Suspense fallback={<p>{t("loading")}</p>}>
          <MapView
            key={JSON.stringify(fitTo.slice(0, 3))}
            center={fitTo[0]}
            zoom={12}
            markers={stops}
            lines={lines}
            fitTo={fitTo}
            label={t("planMapLabel")}
            className="mt-2 h-64"
          />
        </Suspense>
      )}
      {error && <p role="alert" className="mt-1 text-sm text-rose-700">{error}</p>}
    </Card>
  );
}
