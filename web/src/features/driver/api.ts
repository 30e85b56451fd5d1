// SPDX-License-Identifier: AGPL-3.0-or-later
import { api, uploadForm } from "@/lib/api-client";
import { queryKeys } from "@/lib/query-keys";
import type { Vehicle } from "@/lib/types";

export interface RouteStop {
  reportId: string;
  lat: number;
  lng: number;
  address: string;
  wasteType: string;
  priority: string;
  status: string;
  thumbnailUrl: string;
  imageUrl: string;
  description: string | null;
  size: string | null;
  city: string | null;
  blocksDrain: boolean;
  legMeters: number;
  arrivalSeconds: number;
}

export interface PlannedRoute {
  vehicleId: string;
  start: { lat: number; lng: number; source: "gps" | "depot" };
  end: { lat: number; lng: number } | null;
  stops: RouteStop[];
  polyline: [number, number][];
  distanceMeters: number;
  durationSeconds: number;
}

export const driverKeys = {
  route: (vehicleId: string) => ["driver", "route", vehicleId] as const,
  vehicle: [...queryKeys.fleet, "mine"] as const,
};

/** The driver's own truck: the fleet list answers a driver with their vehicle only. */
export const fetchMyVehicle = () => api<{ items: Vehicle[] }>("/api/fleet").then((r) => r.items[0] ?? null);

export const fetchRoute = (vehicleId: string) =>
  api<PlannedRoute>(`/api/fleet/route?vehicleId=${encodeURIComponent(vehicleId)}`);
export const sendPosition = (vehicleId: string, pos: GeolocationPosition) =>
  api<Vehicle>(`/api/fleet/${vehicleId}/location`, {
    method: "PUT",
    json: {
      lat: pos.coords.latitude,
      lng: pos.coords.longitude,
      ...(pos.coords.heading !== null && !Number.isNaN(pos.coords.heading) ? { heading: pos.coords.heading } : {}),
      ...(pos.coords.speed !== null ? { speedKmh: Math.min(250, pos.coords.speed * 3.6) } : {}),
      recordedAt: new Date(pos.timestamp).toISOString(),
    },
  });
export const startCleanup = (reportId: string) =>
  api(`/api/reports/${reportId}/status`, { method: "PATCH", json: { status: "in_progress" } });
export function finishCleanup(reportId: string, photo: File | null) {
  const form = new FormData();
  form.set("status", "resolved");
  if (photo) form.set("photo", photo);
  return uploadForm(`/api/reports/${reportId}/status`, form, { method: "PATCH" });
}
/** "Could not clean": the report goes back to the admins, with the reason. */
export const handBack = (reportId: string, reason: string) =>
  api(`/api/reports/${reportId}/status`, { method: "PATCH", json: { status: "acknowledged", reason } });
export const unload = (vehicleId: string) => api<Vehicle>(`/api/fleet/${vehicleId}/unload`, { method: "POST" });
