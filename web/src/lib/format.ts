import type { ReportStatus } from "./types";

export const statusLabels: Record<ReportStatus, string> = {
  submitted: "Submitted",
  acknowledged: "Acknowledged",
  dispatched: "Truck dispatched",
  in_progress: "Cleanup in progress",
  resolved: "Resolved",
  rejected: "Rejected",
  duplicate: "Merged",
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

/** "3 min ago", "2 h ago", or a date: relative to `now`. */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return "";
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** Checks coordinates typed by hand; returns an error message or "". */
export function checkCoordinates(lat: string, lng: string): string {
  if (lat.trim() === "" && lng.trim() === "") return "";
  const la = Number(lat);
  const lo = Number(lng);
  if (lat.trim() === "" || lng.trim() === "") return "Give both latitude and longitude.";
  if (!Number.isFinite(la) || la < -90 || la > 90) return "Latitude must be between -90 and 90.";
  if (!Number.isFinite(lo) || lo < -180 || lo > 180) return "Longitude must be between -180 and 180.";
  return "";
}
