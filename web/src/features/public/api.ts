// SPDX-License-Identifier: AGPL-3.0-or-later
// The public side's API: the map anyone may see, a report's public page, following a
// report, area alerts and their one-click stop.
import { api } from "@/lib/api-client";
import type { ReportStatus } from "@/lib/types";

export interface MapPoint {
  id: string;
  wasteType: string;
  status: ReportStatus;
  createdAt: string;
  lat: number;
  lng: number;
  thumbnailUrl: string | null;
}

export interface MapAnswer {
  clustered: boolean;
  total: number;
  reports?: MapPoint[];
  cells?: { lat: number; lng: number; count: number }[];
  cellDegrees?: number;
}

export interface MapFilters {
  types: string[];
  show: "open" | "fixed" | "open,fixed";
  days: number;
}

export interface PublicReport {
  id: string;
  wasteType: string;
  status: ReportStatus;
  size: string | null;
  blocksDrain: boolean;
  description: string | null;
  location: { lat: number; lng: number; address: string; city: string | null };
  imageUrl: string | null;
  thumbnailUrl: string | null;
  verificationImageUrl: string | null;
  photoHidden: boolean;
  confirmations: number;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  timeline: { status: ReportStatus; at: string }[];
}

export interface AreaSubscription {
  id: string;
  label: string;
  area: { kind: "box" | "radius" | "city"; bbox?: number[]; lat?: number; lng?: number; radiusM?: number; city?: string };
  types: string[];
  createdAt: string;
}

export const publicKeys = {
  map: (bbox: string, zoom: number, f: MapFilters) => ["public", "map", bbox, zoom, f] as const,
  report: (id: string) => ["public", "report", id] as const,
  follow: (id: string) => ["public", "follow", id] as const,
  areas: ["public", "areas"] as const,
};

export function fetchPublicMap(bbox: string, zoom: number, f: MapFilters) {
  const p = new URLSearchParams({ bbox, zoom: String(zoom), show: f.show, days: String(f.days) });
  if (f.types.length) p.set("types", f.types.join(","));
  return api<MapAnswer>(`/api/public/map?${p}`);
}

export const fetchPublicReport = (id: string) => api<PublicReport>(`/api/public/reports/${encodeURIComponent(id)}`);
export const fetchFollowing = (id: string) => api<{ following: boolean }>(`/api/reports/${id}/follow`);
export const setFollowing = (id: string, follow: boolean) =>
  api<void>(`/api/reports/${id}/follow`, { method: follow ? "PUT" : "DELETE" });

export const fetchAreas = () => api<{ items: AreaSubscription[] }>("/api/area-subscriptions");
export const createArea = (body: { label: string; bbox?: string; city?: string; lat?: number; lng?: number; radiusM?: number; types?: string }) =>
  api<AreaSubscription>("/api/area-subscriptions", { method: "POST", json: body });
export const removeArea = (id: string) => api<void>(`/api/area-subscriptions/${id}`, { method: "DELETE" });
export const unsubscribeArea = (token: string) =>
  api<void>("/api/area-subscriptions/unsubscribe", { method: "POST", json: { token } });

/** The Atom feed of a box (at most a degree each way), for feed readers and newsrooms. */
export const areaFeedUrl = (bbox: string, types: string[]) =>
  `/feeds/area.atom?bbox=${bbox}${types.length ? `&types=${types.join(",")}` : ""}`;

/** Whether a "minLng,minLat,maxLng,maxLat" box is small enough to follow (a city, not a country). */
export function followable(bbox: string): boolean {
  const [w, s, e, n] = bbox.split(",").map(Number);
  return e - w <= 1 && n - s <= 1;
}
