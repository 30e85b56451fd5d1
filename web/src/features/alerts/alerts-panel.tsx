// Open alerts, newest first, live (the dashboard refreshes them on alert.* events).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { timeAgo } from "@/lib/format";
import { useI18n, type MessageKey } from "@/lib/i18n";
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

export function AlertsPanel() {
  const { t, formatDate } = useI18n();
  const queryClient = useQueryClient();
  const alerts = useQuery({ queryKey: alertKeys.open, queryFn: fetchOpenAlerts, refetchInterval: 60_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["alerts"] });
  const ack = useMutation({ mutationFn: acknowledgeAlert, onSettled: refresh });
  const check = useMutation({ mutationFn: evaluateAlerts, onSettled: refresh });
  const items = alerts.data?.items ?? [];
  return (
    <Card title={t("alerts")}>
      <div className="mb-2 flex justify-end">
        <Button variant="secondary" className="py-1" disabled={check.isPending} onClick={() => check.mutate()}>
          {t("checkNow")}
        </Button>
      </div>
      {alerts.isLoading && <p>{t("loading")}</p>}
      {alerts.data && items.length === 0 && <p className="text-sm text-slate-600">{t("noAlerts")}</p>}
      <ul className="flex max-h-80 flex-col gap-2 overflow-y-auto" aria-label={t("alertsList")}>
        {items.map((a) => (
          <li key={a.id} className={`rounded border-s-4 p-2 text-sm ${severityStyle[a.severity]}`} data-alert-rule={a.rule}>
            <div className="flex items-baseline justify-between gap-2">
              <span className="font-semibold">
                {t(ruleKeys[a.rule] ?? "alerts")} · <span className="font-normal">{t(severityKeys[a.severity])}</span>
              </span>
              <span className="text-xs text-slate-600">{timeAgo(a.createdAt, t, formatDate)}</span>
            </div>
            <p>{a.message}</p>
            <Button variant="secondary" className="mt-1 py-1" disabled={ack.isPending} onClick={() => ack.mutate(a.id)}>
              {t("acknowledge")}
            </Button>
          </li>
        ))}
      </ul>
      {ack.error && <p role="alert" className="text-sm text-rose-700">{ack.error instanceof ApiError ? ack.error.detail : t("actionFailed")}</p>}
    </Card>
  );
}
