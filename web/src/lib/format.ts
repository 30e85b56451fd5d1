// SPDX-License-Identifier: AGPL-3.0-or-later
import type { MessageKey } from "./i18n";
import type { ReportStatus } from "./types";

export const statusKeys: Record<ReportStatus, MessageKey> = {
  submitted: "statusSubmitted",
  acknowledged: "statusAcknowledged",
  dispatched: "statusDispatched",
  in_progress: "statusInProgress",
  resolved: "statusResolved",
  rejected: "statusRejected",
  duplicate: "statusDuplicate",
};

/** Where a map starts before it knows better: the middle of Pakistan (zoom 5). */
export const MAP_START: [number, number] = [30.3753, 69.3451];

/** How much waste a report says there is, as a message (bag, wheelbarrow, truck). */
export function sizeKey(size: string | null | undefined): MessageKey {
  return size === "bag" ? "sizeBag" : size === "wheelbarrow" ? "sizeWheelbarrow" : size === "truck" ? "sizeTruck" : "sizeUnknown";
}

/** A truck's state in the reader's language. */
export const vehicleStatusKeys: Record<string, MessageKey> = {
  idle: "vehicleIdle",
  busy: "vehicleBusy",
  offline: "vehicleOffline",
  maintenance: "vehicleMaintenance",
};

/** Priorities in the reader's language (the API speaks low, medium, high, urgent). */
export const priorityKeys: Record<string, MessageKey> = {
  low: "priorityLow",
  medium: "priorityMedium",
  high: "priorityHigh",
  urgent: "priorityUrgent",
};

export const statusColours: Record<ReportStatus, string> = {
  submitted: "bg-amber-100 text-amber-900",
  acknowledged: "bg-sky-100 text-sky-900",
  dispatched: "bg-indigo-100 text-indigo-900",
  in_progress: "bg-violet-100 text-violet-900",
  resolved: "bg-green-100 text-green-900",
  rejected: "bg-rose-100 text-rose-900",
  duplicate: "bg-slate-200 text-slate-800",
};

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** "3 min ago", "2 h ago", or a date: relative to `now`, in the user's language. */
export function timeAgo(iso: string, t: Translate, formatDate: (iso: string) => string, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return "";
  if (seconds < 60) return t("justNow");
  if (seconds < 3600) return t("minutesAgo", { n: Math.floor(seconds / 60) });
  if (seconds < 86400) return t("hoursAgo", { n: Math.floor(seconds / 3600) });
  return formatDate(iso);
}

/** Checks coordinates typed by hand; returns the key of the problem, or "". */
export function checkCoordinates(lat: string, lng: string): MessageKey | "" {
  if (lat.trim() === "" && lng.trim() === "") return "";
  const la = Number(lat);
  const lo = Number(lng);
  if (lat.trim() === "" || lng.trim() === "") return "coordBoth";
  if (!Number.isFinite(la) || la < -90 || la > 90) return "coordLat";
  if (!Number.isFinite(lo) || lo < -180 || lo > 180) return "coordLng";
  return "";
}

/** Great-circle distance in metres (haversine). */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}
