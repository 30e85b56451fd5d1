import { api, uploadForm } from "@/lib/api-client";
import type { Report, Vehicle, WasteType } from "@/lib/types";

export const keys = {
  wasteTypes: ["waste-types"] as const,
  myReports: (userId: string) => ["reports", "user", userId] as const,
  adminReports: (status: string) => ["reports", "admin", status] as const,
  fleet: ["fleet"] as const,
};

export const fetchWasteTypes = () => api<{ items: WasteType[]; sizes: string[] }>("/api/waste-types");
export const fetchMyReports = (userId: string) => api<{ items: Report[] }>(`/api/reports/user/${userId}`);
export const fetchNearby = (lat: number, lng: number, type: string) =>
  api<{ items: Report[] }>(`/api/reports/nearby?lat=${lat}&lng=${lng}&radius=250&type=${encodeURIComponent(type)}`);
export const confirmReport = (id: string, kind: string) =>
  api<Report>(`/api/reports/${id}/confirm`, { method: "POST", json: { kind } });

export function submitReport(form: FormData, idempotencyKey: string, onProgress: (f: number) => void) {
  return uploadForm<Report>("/api/reports", form, { idempotencyKey, onProgress });
}

export const fetchAdminReports = (status: string, limit = 50) =>
  api<{ items: Report[] }>(`/api/reports?limit=${limit}${status ? `&status=${status}` : ""}`);
export const fetchNearbyAny = (lat: number, lng: number) =>
  api<{ items: Report[] }>(`/api/reports/nearby?lat=${lat}&lng=${lng}&radius=250`);
export const fetchFleet = () => api<{ items: Vehicle[] }>("/api/fleet");
export const changeStatus = (id: string, body: Record<string, string>) =>
  api<Report>(`/api/reports/${id}/status`, { method: "PATCH", json: body });
export const dispatchReport = (vehicleId: string, reportId: string) =>
  api<Report>(`/api/fleet/${vehicleId}/assign`, { method: "PATCH", json: { reportId } });
