// The city operator's dashboard: it composes the features' cards — figures, trends,
// alerts, flood risk, the fleet, the map and the reports with their actions — and keeps
// them fresh from the live event stream.
import { useCallback, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { ActionDialog } from "@/components/action-dialog";
import { useI18n } from "@/lib/i18n";
import { useLiveEvents } from "@/lib/live-events";
import { queryKeys } from "@/lib/query-keys";
import type { Report } from "@/lib/types";
import { AiCard } from "@/features/ai/ai-card";
import { AiBadge, AiReview } from "@/features/ai/ai-review";
import { AlertsPanel } from "@/features/alerts/alerts-panel";
import { analyticsKeys } from "@/features/analytics/api";
import { CitiesCard } from "@/features/analytics/cities-card";
import { StatCards } from "@/features/analytics/stat-cards";
import { TrendsCard } from "@/features/analytics/trends-card";
import { DispatchDialog } from "@/features/fleet/dispatch-dialog";
import { FleetPanel } from "@/features/fleet/fleet-panel";
import { FloodPanel } from "@/features/flood/flood-panel";
import { MessagesCard } from "@/features/notifications/messages-card";
import { ReportsPanel } from "@/features/reports/reports-panel";
import { WasteMap } from "./waste-map";

/** What the AI and the fleet add to a report's actions. */
function OtherActions({ report }: { report: Report }) {
  const { t } = useI18n();
  const [aiOpen, setAiOpen] = useState(false);
  return (
    <>
      <ActionDialog title={t("aiReview")} trigger={t("aiReview")} open={aiOpen} onOpenChange={setAiOpen}>
        {aiOpen && <AiReview report={report} />}
      </ActionDialog>
      <DispatchDialog report={report} />
    </>
  );
}

export default function AdminDashboard() {
  const queryClient = useQueryClient();
  const lastStats = useRef(0);
  const onEvent = useCallback(
    (type: string) => {
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
  return (
    <div className="mx-auto grid max-w-6xl gap-6 px-4 py-6 md:grid-cols-3">
      <h1 className="text-2xl font-bold md:col-span-3">{t("dashboardTitle")}</h1>
      <StatCards />
      <AlertsPanel />
      <FloodPanel />
      <FleetPanel />
      <TrendsCard />
      <CitiesCard />
      <AiCard />
      <WasteMap />
      <ReportsPanel renderBadge={(r) => <AiBadge report={r} />} renderActions={(r) => <OtherActions report={r} />} />
      <MessagesCard />
    </div>
  );
}
