// SPDX-License-Identifier: AGPL-3.0-or-later
import { api } from "@/lib/api-client";

export type AlertRule = "hazardous_report" | "surge" | "dispatch_overdue" | "vehicle_load" | "gps_stale" | "flood_risk";

export interface Alert {
  id: string;
  rule: AlertRule;
  severity: "info" | "warning" | "critical";
  message: string;
  reportId: string | null;
  vehicleId: string | null;
  lat: number | null;
  lng: number | null;
  /** Rule-specific figures (place, address, wasteType, reports, level, …). */
  details?: Record<string, unknown>;
  createdAt: string;
  acknowledgedAt: string | null;
}

export const alertKeys = { open: ["alerts", "open"] as const };
export const fetchOpenAlerts = () => api<{ items: Alert[] }>("/api/alerts?state=open&limit=50");
export const acknowledgeAlert = (id: string) => api<Alert>(`/api/alerts/${id}/acknowledge`, { method: "POST" });
export const evaluateAlerts = () => api<{ raised: number }>("/api/alerts/evaluate", { method: "POST" });
