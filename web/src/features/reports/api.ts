import { api, uploadForm } from "@/lib/api-client";
import type { MessageKey } from "@/lib/i18n";
import { queryKeys } from "@/lib/query-keys";
import type { Report } from "@/lib/types";

export const keys = {
  report: (id: string) => [...queryKeys.reports, "one", id] as const,
  myReports: (userId: string) => [...queryKeys.reports, "user", userId] as const,
  adminReports: (status: string) => [...queryKeys.reports, "admin", status] as const,
};
export const fetchReport = (id: string) => api<Report>(`/api/reports/${encodeURIComponent(id)}`);
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
export const changeStatus = (id: string, body: Record<string, string>) =>
  api<Report>(`/api/reports/${id}/status`, { method: "PATCH", json: body });

/** The operator's views of the list: what needs action, what is being cleaned, what is
 *  closed, everything (the status filter each sends). */
export const statusFilters: [string, MessageKey][] = [
  ["submitted,acknowledged", "filterAction"],
  ["dispatched,in_progress", "filterCleaning"],
  ["resolved,rejected,duplicate", "filterClosed"],
  ["", "filterAll"],
];
