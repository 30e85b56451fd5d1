// SPDX-License-Identifier: AGPL-3.0-or-later
// The admin's messages: write to everyone with a role (or one user) by email, SMS or push,
// and follow every delivery — queued, sent, failed, dead — with filters.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Select } from "@/components/ui";
import { api, ApiError } from "@/lib/api-client";
import { timeAgo } from "@/lib/format";
import { useI18n, type MessageKey } from "@/lib/i18n";

interface Delivery {
  channel: "email" | "sms" | "push";
  status: "queued" | "sending" | "sent" | "failed" | "dead";
  attempts: number;
  response: string | null;
}
interface HistoryItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  userId?: string;
  deliveries: Delivery[];
}

const deliveryKeys: Record<string, MessageKey> = {
  queued: "deliveryQueued",
  sending: "deliverySending",
  sent: "deliverySent",
  failed: "deliveryFailed",
  dead: "deliveryDead",
};

const statusStyle: Record<Delivery["status"], string> = {
  queued: "bg-slate-100 text-slate-900",
  sending: "bg-sky-100 text-sky-900",
  sent: "bg-emerald-100 text-emerald-900",
  failed: "bg-amber-100 text-amber-900",
  dead: "bg-rose-100 text-rose-900",
};
const channelKeys: Record<Delivery["channel"], MessageKey> = { email: "channelEmail", sms: "channelSms", push: "channelPush" };

export function MessagesCard() {
  const { t, formatDate } = useI18n();
  const queryClient = useQueryClient();
  const [channel, setChannel] = useState<Delivery["channel"]>("push");
  const [role, setRole] = useState("driver");
  const [subject, setSubject] = useState("");
  const [message, setMessage] = useState("");
  const [filterChannel, setFilterChannel] = useState("");
  const [filterStatus, setFilterStatus] = useState("");
  const query = new URLSearchParams({ userId: "all", limit: "20" });
  if (filterChannel) query.set("channel", filterChannel);
  if (filterStatus) query.set("status", filterStatus);
  const history = useQuery({
    queryKey: ["notify", "admin-history", filterChannel, filterStatus],
    queryFn: () => api<{ items: HistoryItem[] }>(`/api/notify/history?${query}`),
    refetchInterval: 15_000,
  });
  const send = useMutation({
    mutationFn: () => api<{ queued: number }>(`/api/notify/${channel}`, { method: "POST", json: { role, subject, message } }),
    onSuccess: () => {
      setSubject("");
      setMessage("");
      queryClient.invalidateQueries({ queryKey: ["notify"] });
    },
  });
  return (
    <Card title={t("messagesTitle")} className="md:col-span-3">
      <div className="grid gap-6 md:grid-cols-2">
        <form
          className="flex flex-col gap-2 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            send.mutate();
          }}
        >
          <h3 className="font-semibold">{t("messagesSend")}</h3>
          <div className="flex gap-2">
            <label className="flex flex-1 flex-col gap-1">
              {t("messagesChannel")}
              <Select value={channel} onChange={(e) => setChannel(e.target.value as Delivery["channel"])}>
                {(["push", "email", "sms"] as const).map((c) => (
                  <option key={c} value={c}>{t(channelKeys[c])}</option>
                ))}
              </Select>
            </label>
            <label className="flex flex-1 flex-col gap-1">
              {t("messagesTo")}
              <Select value={role} onChange={(e) => setRole(e.target.value)}>
                <option value="driver">{t("messagesDrivers")}</option>
                <option value="citizen">{t("messagesCitizens")}</option>
                <option value="admin">{t("messagesAdmins")}</option>
              </Select>
            </label>
          </div>
          <label className="flex flex-col gap-1">
            {t("messagesSubject")}
            <input className="rounded border border-slate-300 px-2 py-1" value={subject} maxLength={150} required onChange={(e) => setSubject(e.target.value)} />
          </label>
          <label className="flex flex-col gap-1">
            {t("messagesBody")}
            <textarea className="rounded border border-slate-300 px-2 py-1" rows={3} value={message} maxLength={1000} required onChange={(e) => setMessage(e.target.value)} />
          </label>
          <Button type="submit" disabled={send.isPending}>{t("messagesSendButton")}</Button>
          {send.isSuccess && <p role="status" className="text-green-800">{t("messagesQueued", { n: send.data.queued })}</p>}
          {send.error && <p role="alert" className="text-rose-700">{send.error instanceof ApiError ? send.error.detail : t("actionFailed")}</p>}
        </form>
        <div className="text-sm">
          <h3 className="font-semibold">{t("messagesHistory")}</h3>
          <div className="my-2 flex gap-2">
            <label className="flex flex-1 flex-col gap-1">
              {t("messagesChannel")}
              <Select value={filterChannel} onChange={(e) => setFilterChannel(e.target.value)}>
                <option value="">{t("messagesAny")}</option>
                {(["email", "sms", "push"] as const).map((c) => (
                  <option key={c} value={c}>{t(channelKeys[c])}</option>
                ))}
              </Select>
            </label>
            <label className="flex flex-1 flex-col gap-1">
              {t("messagesDeliveryStatus")}
              <Select value={filterStatus} onChange={(e) => setFilterStatus(e.target.value)}>
                <option value="">{t("messagesAny")}</option>
                {(["queued", "sent", "failed", "dead"] as const).map((s) => (
                  <option key={s} value={s}>
                    {t(deliveryKeys[s])}
                  </option>
                ))}
              </Select>
            </label>
          </div>
          {/* Focusable, so keyboard users can scroll it (it holds no links or buttons). */}
          <ul tabIndex={0} className="flex max-h-72 flex-col divide-y divide-slate-200 overflow-y-auto" aria-label={t("messagesHistory")}>
            {history.data?.items.length === 0 && <li className="py-2 text-slate-700">{t("messagesNone")}</li>}
            {history.data?.items.map((n) => (
              <li key={n.id} className="flex flex-col gap-1 py-2">
                <span className="font-medium">{n.title}</span>
                <span className="text-xs text-slate-700">{n.kind} · {timeAgo(n.createdAt, t, formatDate)}</span>
                <span className="flex flex-wrap gap-1">
                  {n.deliveries.length === 0 && <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-900">{t("messagesInAppOnly")}</span>}
                  {n.deliveries.map((d, i) => (
                    <span key={i} className={`rounded px-1.5 text-xs ${statusStyle[d.status]}`} title={d.response ?? ""}>
                      {t(channelKeys[d.channel])}: {t(deliveryKeys[d.status] ?? "deliveryQueued")}
                      {d.attempts > 1 ? ` ×${d.attempts}` : ""}
                    </span>
                  ))}
                </span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </Card>
  );
}
