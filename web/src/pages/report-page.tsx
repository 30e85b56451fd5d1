// SPDX-License-Identifier: AGPL-3.0-or-later
// A report's page. Anyone sees its public view; its reporter, followers, its driver and
// admins see the full one (admins with its actions, so a link from the map or an alert
// leads straight to "send a truck"). A signed-in reader the report is not theirs to see
// in full gets the public view too.
import { useParams } from "react-router-dom";
import { useAuth } from "@/lib/auth";
import { useI18n } from "@/lib/i18n";
import { ReportActions } from "@/features/reports/report-actions";
import { ReportView } from "@/features/reports/report-page";
import { FollowButton, PhotoVisibilityButton, PublicReportView } from "@/features/public/public-report";
import { OtherActions } from "./admin/other-actions";

export default function ReportPage() {
  const { id = "" } = useParams();
  const { user, loading } = useAuth();
  const { t } = useI18n();
  if (loading) return <p className="p-6">{t("loading")}</p>;
  if (!user) return <PublicReportView id={id} />;
  return (
    <ReportView
      missing={<PublicReportView id={id} />}
      extras={(r) => (r.reporter ? null : <FollowButton id={r.id} />)}
      actions={
        user.role === "admin"
          ? (r) => (
              <ReportActions report={r}>
                <OtherActions report={r} />
                <PhotoVisibilityButton report={r} />
              </ReportActions>
            )
          : undefined
      }
    />
  );
}
