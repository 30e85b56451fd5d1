// SPDX-License-Identifier: AGPL-3.0-or-later
// The in-app inbox: every notification the user got, newest first, unread ones marked;
// opening the page reads them. Live: new ones arrive without a reload.
import { useEffect } from "react";
import { Link } from "react-router-dom";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card } from "@/components/ui";
import { useAuth } from "@/lib/auth";
import { useI18n } from "@/lib/i18n";
import { fetchInbox, inboxKeys, markRead } from "./api";

// A report's news opens the report; a driver's work opens the route.
const pageOf = (kind: string, reportId: string) =>
  kind === "assignment.new" || kind === "route.changed" ? "/driver" : `/reports/${reportId}`;

export default function InboxPage() {
  const { t, formatDate } = useI18n();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const inbox = useQuery({ queryKey: inboxKeys.all, queryFn: fetchInbox });
  const unread = inbox.data?.items.filter((n) => !n.readAt) ?? [];
  const readAll = useMutation({
    mutationFn: () => Promise.all(unread.map((n) => markRead(n.id))),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["notify"] }),
  });
  // Seen is read: what was unread when the page opened is marked after a moment.
  useEffect(() => {
    if (unread.length === 0) return;
    const timer = setTimeout(() => readAll.mutate(), 3000);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [unread.length]);
  return (
    <div className="mx-auto max-w-2xl px-4 py-6">
      <h1 className="text-2xl font-bold">{t("inboxTitle")}</h1>
      <Card className="mt-4">
        {inbox.isLoading && <p>{t("loading")}</p>}
        {inbox.data?.items.length === 0 && <p className="text-sm">{t("inboxEmpty")}</p>}
        {unread.length > 0 && (
          <Button variant="secondary" className="mb-3" disabled={readAll.isPending} onClick={() => readAll.mutate()}>
            {t("inboxMarkRead")}
          </Button>
        )}
        <ul className="flex flex-col divide-y divide-slate-200" aria-label={t("inboxTitle")}>
          {inbox.data?.items.map((n) => (
            <li key={n.id} className={`flex flex-col gap-1 py-3 text-sm ${n.readAt ? "" : "border-s-4 border-green-700 ps-3"}`}>
              <span className="break-words font-semibold">
                {!n.readAt && <span className="sr-only">{t("inboxUnread")}: </span>}
                {n.title}
              </span>
              <span className="break-words">{n.body}</span>
              <span className="text-xs text-slate-700">
                {formatDate(n.createdAt)}
                {n.reportId && user && (
                  <>
                    {" · "}
                    <Link className="inline-block py-2 text-green-800 underline" to={pageOf(n.kind, n.reportId)}>
                      {t("inboxOpen")}
                    </Link>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
        <p className="mt-3 text-xs text-slate-700">
          <Link className="text-green-800 underline" to="/settings/notifications">
            {t("inboxSettings")}
          </Link>
        </p>
      </Card>
    </div>
  );
}
