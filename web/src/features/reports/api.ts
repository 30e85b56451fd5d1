// SPDX-License-Identifier: AGPL-3.0-or-later
import { api, uploadForm } from "@/lib/api-client";
import type { MessageKey } from "@/lib/i18n";
import { queryKeys } from "@/lib/query-keys";
import type { Report } from "@/lib/types";

export const keys = {
  report: (id: string) => [...queryKeys.reports, "one", id] as const,
  allMyReports: [...queryKeys.reports, "user"] as const,
  myReports: (userId: string) => [...queryKeys.reports, "user", userId] as const,
  adminReports: (status: string) => [...queryKeys.reports, "admin", status] as const,
  workspace: (query: ReportQuery) => [...queryKeys.reports, "workspace", query] as const,
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

export interface ReportQuery {
  status: string;
  sort: "priority" | "newest" | "oldest";
  q: string;
  type: string;
  city: string;
  vehicle: string;
}

/** One page of the operator's list; `cursor` continues where the last page ended. */
export function fetchReportPage(query: ReportQuery, cursor: string | null, limit = 25) {
  const p = new URLSearchParams({ limit: String(limit), sort: query.sort });
  if (query.status) p.set("status", query.status);
  if (query.q.trim()) p.set("q", query.q.trim());
  if (query.type) p.set("type", query.type);
  if (query.city.trim()) p.set("city", query.city.trim());
  if (query.vehicle) p.set("vehicle", query.vehicle);
  if (cursor) p.set("cursor", cursor);
  return api<{ items: Report[]; nextCursor: string | null }>(`/api/reports?${p}`);
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
