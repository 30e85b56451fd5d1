// SPDX-License-Identifier: AGPL-3.0-or-later
// The admin's statistics (GET /api/analytics/*).
import { api } from "@/lib/api-client";

export interface Summary {
  openReports: number;
  reportsToday: number;
  resolvedLast7Days: number;
  medianHoursToResolve: number | null;
  activeVehicles: number;
  vehicles: number;
}

export interface Series {
  days: string[];
  filed: number[];
  resolved: number[];
  byType: Record<string, number[]>;
  byStatus: Record<string, number[]>;
}

export interface CityCount {
  city: string | null;
  reports: number;
  open: number;
}

export interface Percentiles {
  count: number;
  p50Hours: number | null;
  p90Hours: number | null;
  p95Hours: number | null;
}

export interface GridCell {
  lat: number;
  lng: number;
  count: number;
}

export interface Grid {
  cellDegrees: number;
  maxCount: number;
  cells: GridCell[];
}

export const analyticsKeys = {
  summary: ["analytics", "summary"] as const,
  series: (days: number) => ["analytics", "series", days] as const,
  cities: (days: number) => ["analytics", "cities", days] as const,
  times: (days: number) => ["analytics", "times", days] as const,
  grid: (bbox: string, zoom: number) => ["analytics", "grid", bbox, zoom] as const,
};

export const fetchSummary = () => api<Summary>("/api/analytics/summary");
export const fetchSeries = (days: number) => api<Series>(`/api/analytics/series?days=${days}`);
export const fetchCities = (days: number) =>
  api<{ items: CityCount[] }>(`/api/analytics/cities?days=${days}`);
export const fetchResponseTimes = (days: number) =>
  api<{ toAcknowledge: Percentiles; toResolve: Percentiles }>(`/api/analytics/response-times?days=${days}`);
export const fetchGrid = (bbox: string, zoom: number) =>
  api<Grid>(`/api/analytics/grid?bbox=${bbox}&zoom=${zoom}`);
