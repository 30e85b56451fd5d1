// SPDX-License-Identifier: AGPL-3.0-or-later
// An alert in the reader's language, from its rule and details (the server's English
// message is the fallback for alerts raised before details carried the place).
import { priorityKeys, timeAgo } from "@/lib/format";
import type { MessageKey } from "@/lib/i18n";
import type { Alert } from "./api";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

const floodLevels: Record<string, MessageKey> = {
  low: "floodLow",
  moderate: "floodModerate",
  high: "floodHigh",
  severe: "floodSevere",
};

export function alertText(a: Alert, t: T, formatDate: (iso: string) => string): string {
  const d = a.details ?? {};
  const str = (k: string) => (typeof d[k] === "string" ? (d[k] as string) : undefined);
  const num = (k: string) => (typeof d[k] === "number" ? (d[k] as number) : undefined);
  const place = str("place") ?? str("address");
  switch (a.rule) {
    case "hazardous_report":
      if (!place) break;
      return t(str("wasteType") === "medical" ? "alertHazardousMedical" : "alertHazardous", { place });
    case "surge":
      if (!place || num("reports") === undefined) break;
      return t("alertSurge", { n: num("reports")!, m: num("radiusM") ?? 0, h: num("windowHours") ?? 0, place });
    case "dispatch_overdue": {
      const filed = str("filedAt");
      if (!place || !filed) break;
      const p = str("priority") ?? "";
      return t("alertOverdue", { priority: priorityKeys[p] ? t(priorityKeys[p]) : p, place, ago: timeAgo(filed, t, formatDate) });
    }
    case "vehicle_load": {
      const load = num("load");
      const capacity = num("capacity");
      if (load === undefined || !capacity) break;
      return t("alertLoad", { v: str("vehicleNumber") ?? "?", p: Math.round((load * 100) / capacity) });
    }
    case "gps_stale": {
      const last = str("lastPositionAt");
      return last
        ? t("alertGps", { v: str("vehicleNumber") ?? "?", when: timeAgo(last, t, formatDate) })
        : t("alertGpsNever", { v: str("vehicleNumber") ?? "?" });
    }
    case "flood_risk": {
      const level = str("level") ?? "";
      if (!place || num("drainReports") === undefined) break;
      return t("alertFlood", { level: floodLevels[level] ? t(floodLevels[level]) : level, place, n: num("drainReports")! });
    }
  }
  return a.message;
}

const severityRank = { critical: 0, warning: 1, info: 2 } as const;
const ruleRank: Record<string, number> = {
  hazardous_report: 0,
  flood_risk: 1,
  dispatch_overdue: 2,
  surge: 3,
  vehicle_load: 4,
  gps_stale: 5,
};

/** Most urgent first: critical, then warnings; within a severity medical and hazardous
 *  waste, then flood, then the rest; then the newest. */
export function byUrgency(a: Alert, b: Alert): number {
  const medical = (x: Alert) => (x.details?.wasteType === "medical" ? 0 : 1);
  return (
    severityRank[a.severity] - severityRank[b.severity] ||
    (ruleRank[a.rule] ?? 9) - (ruleRank[b.rule] ?? 9) ||
    medical(a) - medical(b) ||
    b.createdAt.localeCompare(a.createdAt)
  );
}

/** Alerts that say the same thing (same rule, same words) shown once, with their count. */
export function groupAlike(alerts: Alert[], text: (a: Alert) => string): { text: string; alerts: Alert[] }[] {
  const groups = new Map<string, { text: string; alerts: Alert[] }>();
  for (const a of alerts) {
    const words = text(a);
    const key = `${a.rule}\u0000${words}`;
    const g = groups.get(key);
    if (g) g.alerts.push(a);
    else groups.set(key, { text: words, alerts: [a] });
  }
  return [...groups.values()];
}
