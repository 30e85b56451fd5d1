// SPDX-License-Identifier: AGPL-3.0-or-later
// Settings: how messages reach the user, and the areas they follow.
import NotificationSettings from "@/features/settings/notification-settings";
import { AreaAlerts } from "@/features/public/area-alerts";

export default function SettingsPage() {
  return <NotificationSettings extra={<div className="mt-4"><AreaAlerts /></div>} />;
}
