// SPDX-License-Identifier: AGPL-3.0-or-later
// A report's page: the view every reader shares; admins also get its actions here, so a
// link from the map or an alert leads straight to "send a truck".
import { useAuth } from "@/lib/auth";
import { ReportActions } from "@/features/reports/report-actions";
import { ReportView } from "@/features/reports/report-page";
import { OtherActions } from "./admin/other-actions";

export default function ReportPage() {
  const { user } = useAuth();
  return (
    <ReportView
      actions={
        user?.role === "admin"
          ? (r) => (
              <ReportActions report={r}>
                <OtherActions report={r} />
              </ReportActions>
            )
          : undefined
      }
    />
  );
}
