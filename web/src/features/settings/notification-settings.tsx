// Which messages reach the user by email or SMS, per kind (in-app ones always do). The
// "Stop these emails" link of every email lands here.
import { useEffect, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card } from "@/components/ui";
import { api, ApiError } from "@/lib/api-client";
import { useI18n, type MessageKey } from "@/lib/i18n";

interface Preference {
  kind: string;
  channel: "email" | "sms";
  enabled: boolean;
}

const kindKeys: Record<string, MessageKey> = {
  "report.received": "kindReceived",
  "report.acknowledged": "kindAcknowledged",
  "report.dispatched": "kindDispatched",
  "report.in_progress": "kindInProgress",
  "report.resolved": "kindResolved",
  "report.rejected": "kindRejected",
  "report.duplicate": "kindDuplicate",
  "assignment.new": "kindAssignment",
  "route.changed": "kindRouteChanged",
  "report.high_priority": "kindHighPriority",
  "admin.message": "kindAdminMessage",
};

export default function NotificationSettings() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const prefs = useQuery({
    queryKey: ["notify", "preferences"],
    queryFn: () => api<{ items: Preference[] }>("/api/notify/preferences"),
  });
  const [draft, setDraft] = useState<Preference[]>([]);
  useEffect(() => {
    if (prefs.data) setDraft(prefs.data.items);
  }, [prefs.data]);
  const save = useMutation({
    mutationFn: () => api<{ items: Preference[] }>("/api/notify/preferences", { method: "PUT", json: { items: draft } }),
    onSuccess: (data) => queryClient.setQueryData(["notify", "preferences"], data),
  });
  const kinds = [...new Set(draft.map((p) => p.kind))];
  const toggle = (kind: string, channel: string) =>
    setDraft((d) => d.map((p) => (p.kind === kind && p.channel === channel ? { ...p, enabled: !p.enabled } : p)));
  const enabled = (kind: string, channel: string) => draft.find((p) => p.kind === kind && p.channel === channel)?.enabled ?? true;
  return (
    <div className="mx-auto max-w-2xl px-4 py-6">
      <h1 className="text-2xl font-bold">{t("settingsTitle")}</h1>
      <p className="mt-1 text-sm text-slate-700">{t("settingsIntro")}</p>
      <Card className="mt-4">
        {prefs.isLoading && <p>{t("loading")}</p>}
        <table className="w-full text-sm">
          <thead>
            <tr>
              <th scope="col" className="text-start">{t("settingsKind")}</th>
              <th scope="col">{t("channelEmail")}</th>
              <th scope="col">{t("channelSms")}</th>
            </tr>
          </thead>
          <tbody>
            {kinds.map((kind) => (
              <tr key={kind} className="border-t border-slate-200">
                <th scope="row" className="py-2 text-start font-normal">{t(kindKeys[kind] ?? "settingsKind")}</th>
                {(["email", "sms"] as const).map((channel) => (
                  <td key={channel} className="text-center">
                    <input
                      type="checkbox"
                      aria-label={`${t(kindKeys[kind] ?? "settingsKind")}: ${t(channel === "email" ? "channelEmail" : "channelSms")}`}
                      checked={enabled(kind, channel)}
                      onChange={() => toggle(kind, channel)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <Button className="mt-4" disabled={save.isPending || draft.length === 0} onClick={() => save.mutate()}>
          {t("settingsSave")}
        </Button>
        {save.isSuccess && <p role="status" className="mt-2 text-sm text-green-800">{t("settingsSaved")}</p>}
        {save.error && <p role="alert" className="mt-2 text-sm text-rose-700">{save.error instanceof ApiError ? save.error.detail : t("actionFailed")}</p>}
      </Card>
    </div>
  );
}
