// SPDX-License-Identifier: AGPL-3.0-or-later
import { api } from "@/lib/api-client";

export type FloodLevel = "low" | "moderate" | "high" | "severe";

export interface FloodArea {
  key: string;
  lat: number;
  lng: number;
  place: string | null;
  level: FloodLevel;
  index: number;
  factors: {
    drainReports: number;
    oldestDays: number;
    openReports: number;
    rainMmNext24h: number | null;
    rainSource: "forecast" | "admin" | "unknown";
    lowLying: boolean;
    lowLyingArea: string | null;
  };
}

export interface FloodRisk {
  forecastConfigured: boolean;
  adminRainfall: { mmNext24h: number; validUntil: string } | null;
  levels: Record<FloodLevel, number>;
  areas: FloodArea[];
}

export const floodKeys = { risk: ["flood", "risk"] as const };
export const fetchFloodRisk = () => api<FloodRisk>("/api/flood/risk?limit=50");
export const enterRainfall = (mm: number) =>
  api<{ mmNext24h: number; validUntil: string }>("/api/flood/rainfall", { method: "POST", json: { mmNext24h: mm } });

export const floodColour: Record<FloodLevel, string> = {
  low: "#16a34a",
  moderate: "#ca8a04",
  high: "#ea580c",
  severe: "#b91c1c",
};
