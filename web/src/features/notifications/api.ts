// SPDX-License-Identifier: AGPL-3.0-or-later
import { api } from "@/lib/api-client";

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  reportId: string | null;
  readAt: string | null;
}

export const inboxKeys = {
  all: ["notify", "inbox"] as const,
  unread: ["notify", "inbox", "unread"] as const,
};

export const fetchInbox = () => api<{ items: Notification[]; nextCursor: string | null }>("/api/notify/history?limit=50");
// Up to 50 unread: the badge says "50+" beyond.
export const fetchUnread = () => api<{ items: Notification[] }>("/api/notify/history?unread=true&limit=50");
export const markRead = (id: string) => api(`/api/notify/${id}/read`, { method: "POST" });
