// SPDX-License-Identifier: AGPL-3.0-or-later
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import type { Report, Vehicle } from "@/lib/types";

export const fleetKeys = { all: queryKeys.fleet };

export interface PlanAnswer {
  routes: {
    vehicleNumber: string;
    stops: { reportId: string; lat: number; lng: number; address: string }[];
    distanceMeters: number;
    polyline: [number, number][];
  }[];
  unassigned: unknown[];
  planned: number;
  dispatched?: number;
  failures?: string[];
}

export const fetchFleet = () => api<{ items: Vehicle[] }>("/api/fleet");
export const dispatchReport = (vehicleId: string, reportId: string) =>
  api<Report>(`/api/fleet/${vehicleId}/assign`, { method: "PATCH", json: { reportId } });
/** The planner's proposal; with apply, the plan is dispatched. */
export const planRoutes = (apply: boolean) =>
  api<PlanAnswer>("/api/fleet/plan", { method: "POST", json: apply ? { apply: true } : {} });

/** Every vehicle (admins); vehicle.updated events invalidate it, so trucks move live. */
export function useFleet() {
  return useQuery({ queryKey: fleetKeys.all, queryFn: fetchFleet });
}
