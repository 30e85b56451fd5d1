// SPDX-License-Identifier: AGPL-3.0-or-later
// Open alerts for triage: the most urgent first (critical, then medical and hazardous
// waste, then flood risk), counts per severity, alike alerts shown once, each with its
// place on the map. Live: the dashboard refreshes them on alert.* events.
import { useMemo, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { timeAgo } from "@/lib/format";
import { useI18n, type MessageKey } from "@/lib/i18n";
import { focusMap } from "@/lib/map-focus";
import { alertText, byUrgency, groupAlike } from "./alert-text";
import { acknowledgeAlert, alertKeys, evaluateAlerts, fetchOpenAlerts, type AlertRule } from "./api";

const ruleKeys: Record<AlertRule, MessageKey> = {
  hazardous_report: "ruleHazardous",
  surge: "ruleSurge",
  dispatch_overdue: "ruleOverdue",
  vehicle_load: "ruleLoad",
  gps_stale: "ruleGps",
  flood_risk: "ruleFlood",
};

const severityStyle = {
  critical: "border-rose-600 bg-rose-50",
  warning: "border-amber-500 bg-amber-50",
  info: "border-sky-500 bg-sky-50",
};

const severityKeys: Record<string, MessageKey> = {
  critical: "severityCritical",
  warning: "severityWarning",
  info: "severityInfo",
};

/** How many groups show before "Show all": the screen stays a dashboard, not a list. */
const FIRST = 6;

export function AlertsPanel() {
  const { t, formatDate } = useI18n();
  const queryClient = useQueryClient();
  const alerts = useQuery({ queryKey: alertKeys.open, queryFn: fetchOpenAlerts, refetchInterval: 60_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["alerts"] });
  const ack = useMutation({
    mutationFn: (ids: string[]) => Promise.all(ids.map(acknowledgeAlert)),
    onSettled: refresh,
  });
  const check = useMutation({ mutationFn: evaluateAlerts, onSettled: refresh });
  const [all, setAll] = useState(false);
  const groups = useMemo(() => {
    const sorted = [...(alerts.data?.items ?? [])].sort(byUrgency);
    return groupAlike(sorted, (a) => alertText(a, t, formatDate));
  }, [alerts.data, t, formatDate]);
  const counts = useMemo(() => {
    const c = { critical: 0, warning: 0, info: 0 };
    for (const a of alerts.data?.items ?? []) c[a.severity] += 1;
    return c;
  }, [alerts.data]);
  const shown = all ? groups : groups.slice(0, FIRST);
  return (
    <Card title={t("alerts")}>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <p className="flex flex-wrap gap-2 text-sm" aria-live="polite">
          {(["critical", "warning", "info"] as const)
            .filter((s) => counts[s] > 0)
            .map((s) => (
              <span key={s} className={`rounded-full border-s-4 px-2 py-0.5 ${severityStyle[s]}`} data-severity-count={s}>
                {t("alertCount", { n: counts[s], label: t(severityKeys[s]) })}
              </span>
            ))}
        </p>
        <Button variant="secondary" disabled={check.isPending} onClick={() => check.mutate()}>
          {t("checkNow")}
        </Button>
      </div>
      {alerts.isLoading && <p>{t("loading")}</p>}
      {alerts.data && groups.length === 0 && <p className="text-sm text-slate-600">{t("noAlerts")}</p>}
      <ul className="flex flex-col gap-2" aria-label={t("alertsList")}>
        {shown.map(({ text, alerts: same }) => {
          const a = same[0];
          return (
            <li key={a.id} className={`rounded border-s-4 p-2 text-sm ${severityStyle[a.severity]}`} data-alert-rule={a.rule}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <span className="font-semibold">
                  {t(ruleKeys[a.rule] ?? "alerts")} · <span className="font-normal">{t(severityKeys[a.severity])}</span>
                  {same.length > 1 && <span className="ms-2 rounded bg-white px-1 text-xs">{t("alertSame", { n: same.length })}</span>}
                </span>
                <span className="text-xs text-slate-700">{timeAgo(a.createdAt, t, formatDate)}</span>
              </div>
              <p className="break-words">{text}</p>
              <div className="mt-1 flex flex-wrap gap-2">
                {a.lat !== null && a.lng !== null && (
                  <Button variant="secondary" onClick={() => focusMap(a.lat!, a.lng!, a.rule === "flood_risk" ? 15 : 17)}>
                    {t("showOnMap")}
                  </Button>
                )}
                <Button variant="secondary" disabled={ack.isPending} onClick={() => ack.mutate(same.map((x) => x.id))}>
                  {t("acknowledge")}
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
      {groups.length > FIRST && (
        <Button variant="secondary" className="mt-2" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t("showFewerAlerts") : t("showAllAlerts", { n: groups.length })}
        </Button>
      )}
      {ack.error && <p role="alert" className="text-sm text-rose-700">{ack.error instanceof ApiError ? ack.error.detail : t("actionFailed")}</p>}
    </Card>
  );
}
