// The fleet at a glance and the route planner: a plan is shown first; dispatching it is a
// second, deliberate click.
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Card } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { queryKeys } from "@/lib/query-keys";
import { fleetKeys, planRoutes, useFleet, type PlanAnswer } from "./api";

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
