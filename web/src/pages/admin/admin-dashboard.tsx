// SPDX-License-Identifier: AGPL-3.0-or-later
// The city operator's dashboard: it composes the features' cards — figures, trends,
// alerts, flood risk, the fleet, the map and the reports with their actions — and keeps
// them fresh from the live event stream.
import { useCallback, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useI18n } from "@/lib/i18n";
import { useLiveEvents } from "@/lib/live-events";
import { queryKeys } from "@/lib/query-keys";
import { AiCard } from "@/features/ai/ai-card";
import { AiBadge } from "@/features/ai/ai-review";
import { AlertsPanel } from "@/features/alerts/alerts-panel";
import { analyticsKeys } from "@/features/analytics/api";
import { CitiesCard } from "@/features/analytics/cities-card";
import { StatCards } from "@/features/analytics/stat-cards";
import { TrendsCard } from "@/features/analytics/trends-card";
import { useFleet } from "@/features/fleet/api";
import { FleetPanel } from "@/features/fleet/fleet-panel";
import { FloodPanel } from "@/features/flood/flood-panel";
import { MessagesCard } from "@/features/notifications/messages-card";
import { ReportsPanel } from "@/features/reports/reports-panel";
import { OtherActions } from "./other-actions";
import { WasteMap } from "./waste-map";

/** The truck a report is assigned to, by its number. */
function TruckTag({ id }: { id: string | null }) {
  const { t } = useI18n();
  const fleet = useFleet();
  const v = fleet.data?.items.find((x) => x.id === id);
  if (!v) return null;
  return <span className="rounded bg-slate-800 px-2 text-xs font-semibold text-white">{t("assignedTruck", { v: v.vehicleNumber })}</span>;
}

export default function AdminDashboard() {
  const queryClient = useQueryClient();
  const lastStats = useRef(0);
  const onEvent = useCallback(
    (type: string) => {
      if (type === "stream.opened") {
        for (const key of [queryKeys.alerts, queryKeys.fleet, queryKeys.reports]) queryClient.invalidateQueries({ queryKey: key });
        return;
      }
      if (type.startsWith("alert.")) {
        queryClient.invalidateQueries({ queryKey: queryKeys.alerts });
        return;
      }
      if (type.startsWith("vehicle.")) {
        queryClient.invalidateQueries({ queryKey: queryKeys.fleet });
      } else {
        queryClient.invalidateQueries({ queryKey: queryKeys.reports });
      }
      if (type === "report.ai_analyzed") queryClient.invalidateQueries({ queryKey: queryKeys.ai });
      // Statistics follow changes at most every five seconds: a busy city sends many.
      if (Date.now() - lastStats.current > 5000) {
        lastStats.current = Date.now();
        queryClient.invalidateQueries({ queryKey: analyticsKeys.summary });
        queryClient.invalidateQueries({ queryKey: queryKeys.flood });
      }
    },
    [queryClient],
  );
  useLiveEvents(true, onEvent);
  const { t } = useI18n();
  const fleet = useFleet();
  const trucks = (fleet.data?.items ?? []).map((v) => ({
    id: v.id,
    label: v.driverName ? `${v.vehicleNumber} — ${v.driverName}` : v.vehicleNumber,
  }));
  // On a wide screen (1536 px and more) the map stays beside the list of reports.
  return (
    <div className="mx-auto grid max-w-[1800px] gap-6 px-4 py-6 md:grid-cols-3">
      <h1 className="text-2xl font-bold md:col-span-3">{t("dashboardTitle")}</h1>
      <StatCards />
      <AlertsPanel />
      <FloodPanel />
      <FleetPanel />
      <TrendsCard />
      <CitiesCard />
      <AiCard />
      <WasteMap className="md:col-span-3 2xl:col-span-1 2xl:self-start" />
      <ReportsPanel
        className="md:col-span-3 2xl:col-span-2"
        trucks={trucks}
        renderBadge={(r) => <AiBadge report={r} />}
        renderActions={(r) => <OtherActions report={r} />}
        renderTruck={(r) => <TruckTag id={r.dispatchedTo} />}
      />
      <MessagesCard />
    </div>
  );
}
