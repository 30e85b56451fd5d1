// SPDX-License-Identifier: AGPL-3.0-or-later
// Which messages reach the user by email, SMS or push, per kind (in-app ones always do),
// the language they are written in, and push on this device. The "Stop these emails" link
// of every email lands here.
import { useEffect, useState, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card } from "@/components/ui";
import { api, ApiError } from "@/lib/api-client";
import { useAuth } from "@/lib/auth";
import { useI18n, type MessageKey } from "@/lib/i18n";
import { currentPushSubscription, disablePush, enablePush, pushSupported } from "@/lib/push";
import { SignInMethodsCard } from "./sign-in-methods";

type Channel = "email" | "sms" | "push";
interface Preference {
  kind: string;
  channel: Channel;
  enabled: boolean;
}
interface Preferences {
  items: Preference[];
  language: "en" | "ur";
}
const channels: { id: Channel; label: MessageKey }[] = [
  { id: "email", label: "channelEmail" },
  { id: "sms", label: "channelSms" },
  { id: "push", label: "channelPush" },
];

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
  "area.new_report": "kindAreaReport",
};

/** The kinds each role can receive, grouped as the person thinks of them. */
const groups: { title: MessageKey; help: MessageKey; kinds: string[]; roles: string[] }[] = [
  {
    title: "groupYourReports",
    help: "groupYourReportsHelp",
    kinds: [
      "report.received",
      "report.acknowledged",
      "report.dispatched",
      "report.in_progress",
      "report.resolved",
      "report.rejected",
      "report.duplicate",
    ],
    roles: ["citizen"],
  },
  { title: "groupYourWork", help: "groupYourWorkHelp", kinds: ["assignment.new", "route.changed"], roles: ["driver"] },
  { title: "groupOperations", help: "groupOperationsHelp", kinds: ["report.high_priority"], roles: ["admin"] },
  { title: "groupFromCity", help: "groupFromCityHelp", kinds: ["admin.message"], roles: ["citizen", "driver"] },
  { title: "groupAreas", help: "groupAreasHelp", kinds: ["area.new_report"], roles: ["citizen", "driver", "admin"] },
];

/** `extra`: what the page adds below (the areas the user follows). */
export default function NotificationSettings({ extra }: { extra?: ReactNode }) {
  const { user } = useAuth();
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const prefs = useQuery({
    queryKey: ["notify", "preferences"],
    queryFn: () => api<Preferences>("/api/notify/preferences"),
  });
  const [draft, setDraft] = useState<Preference[]>([]);
  const [language, setLanguage] = useState<"en" | "ur">("en");
  useEffect(() => {
    if (prefs.data) {
      setDraft(prefs.data.items);
      setLanguage(prefs.data.language);
    }
  }, [prefs.data]);
  const save = useMutation({
    mutationFn: () => api<Preferences>("/api/notify/preferences", { method: "PUT", json: { items: draft, language } }),
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
        <p className="mb-2 text-xs text-slate-700">{t("smsCostHint")}</p>
        {groups
          .filter((g) => user && g.roles.includes(user.role))
          .map((g) => (
            <table key={g.title} className="mt-3 w-full text-sm" aria-describedby={`help-${g.title}`}>
              <caption className="text-start">
                <span className="block text-base font-semibold">{t(g.title)}</span>
                <span id={`help-${g.title}`} className="block text-xs text-slate-700">
                  {t(g.help)}
                </span>
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="text-start">{t("settingsKind")}</th>
                  {channels.map((c) => (
                    <th key={c.id} scope="col" className="px-2">{t(c.label)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {g.kinds
                  .filter((kind) => kinds.includes(kind))
                  .map((kind) => (
                    <tr key={kind} className="border-t border-slate-200">
                      <th scope="row" className="py-2 text-start font-normal">{t(kindKeys[kind] ?? "settingsKind")}</th>
                      {channels.map((c) => (
                        <td key={c.id} className="text-center">
                          <label className="inline-flex min-h-11 min-w-11 items-center justify-center">
                            <input
                              type="checkbox"
                              aria-label={`${t(kindKeys[kind] ?? "settingsKind")}: ${t(c.label)}`}
                              checked={enabled(kind, c.id)}
                              onChange={() => toggle(kind, c.id)}
                            />
                          </label>
                        </td>
                      ))}
                    </tr>
                  ))}
              </tbody>
            </table>
          ))}
        <label className="mt-4 block text-sm font-medium" htmlFor="notify-language">
          {t("settingsLanguage")}
        </label>
        <select
          id="notify-language"
          className="mt-1 rounded border border-slate-300 px-2 py-1"
          value={language}
          aria-describedby="notify-language-help"
          onChange={(e) => setLanguage(e.target.value === "ur" ? "ur" : "en")}
        >
          <option value="en">English</option>
          <option value="ur">اردو</option>
        </select>
        <p id="notify-language-help" className="mt-1 text-xs text-slate-700">{t("settingsLanguageHelp")}</p>
        <Button className="mt-4" disabled={save.isPending || draft.length === 0} onClick={() => save.mutate()}>
          {t("settingsSave")}
        </Button>
        {save.isSuccess && <p role="status" className="mt-2 text-sm text-green-800">{t("settingsSaved")}</p>}
        {save.error && <p role="alert" className="mt-2 text-sm text-rose-700">{save.error instanceof ApiError ? save.error.detail : t("actionFailed")}</p>}
      </Card>
      <PushCard />
      <SignInMethodsCard />
      {extra}
    </div>
  );
}

// Push on this device: the browser's permission and subscription, kept in step with the server.
function PushCard() {
  const { t } = useI18n();
  const supported = pushSupported();
  const [on, setOn] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  useEffect(() => {
    if (supported) currentPushSubscription().then((s) => setOn(s !== null), () => setOn(false));
  }, [supported]);
  const change = useMutation({
    mutationFn: (enable: boolean) => (enable ? enablePush() : disablePush()),
    onMutate: () => setProblem(null),
    onSuccess: (_data, enable) => setOn(enable),
    onError: (e) =>
      setProblem(
        e instanceof ApiError && e.status === 409
          ? "pushUnavailable"
          : e instanceof Error && e.message === "denied"
            ? "pushDenied"
            : e instanceof Error && e.message === "unsupported"
              ? "pushUnsupported"
              : "actionFailed",
      ),
  });
  return (
    <Card className="mt-4">
      <h2 className="text-lg font-semibold">{t("pushTitle")}</h2>
      <p className="mt-1 text-sm text-slate-700">{t("pushIntro")}</p>
      {!supported ? (
        <p className="mt-2 text-sm">{t("pushUnsupported")}</p>
      ) : (
        <>
          <p role="status" className="mt-2 text-sm">{on ? t("pushIsOn") : t("pushIsOff")}</p>
          <Button className="mt-2" disabled={change.isPending || on === null} onClick={() => change.mutate(!on)}>
            {on ? t("pushDisable") : t("pushEnable")}
          </Button>
        </>
      )}
      {problem && <p role="alert" className="mt-2 text-sm text-rose-700">{t(problem)}</p>}
    </Card>
  );
}
