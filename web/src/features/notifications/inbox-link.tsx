// SPDX-License-Identifier: AGPL-3.0-or-later
// "Notifications (3)" in the header: the unread count, kept live by the event stream.
import { useCallback } from "react";
import { NavLink } from "react-router-dom";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useI18n } from "@/lib/i18n";
import { useLiveEvents } from "@/lib/live-events";
import { fetchUnread, inboxKeys } from "./api";

export function InboxLink({ className }: { className: (s: { isActive: boolean }) => string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const unread = useQuery({ queryKey: inboxKeys.unread, queryFn: fetchUnread, refetchInterval: 60_000 });
  const onEvent = useCallback(
    (type: string) => {
      if (type === "notification.created" || type === "stream.opened") queryClient.invalidateQueries({ queryKey: ["notify"] });
    },
    [queryClient],
  );
  useLiveEvents(true, onEvent);
  const n = unread.data?.items.length ?? 0;
  return (
    <NavLink to="/notifications" className={className}>
      {t("navInbox")}
      {n > 0 && (
        <span className="ms-1 rounded-full bg-amber-300 px-1.5 text-xs font-bold text-slate-900" aria-label={t("inboxUnreadCount", { n })}>
          {n >= 50 ? "50+" : n}
        </span>
      )}
    </NavLink>
  );
}
