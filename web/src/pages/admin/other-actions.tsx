// SPDX-License-Identifier: AGPL-3.0-or-later
// What the AI and the fleet add to a report's actions (the dashboard's rows and the
// report's own page, for admins).
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ActionDialog } from "@/components/action-dialog";
import { useI18n } from "@/lib/i18n";
import type { Report } from "@/lib/types";
import { aiKeys, fetchAiStatus } from "@/features/ai/api";
import { AiReview } from "@/features/ai/ai-review";
import { DispatchDialog } from "@/features/fleet/dispatch-dialog";

export function OtherActions({ report }: { report: Report }) {
  const { t } = useI18n();
  const [aiOpen, setAiOpen] = useState(false);
  // With the AI off, the AI card says so once; rows offer no AI review.
  const ai = useQuery({ queryKey: aiKeys.status, queryFn: fetchAiStatus, staleTime: 5 * 60_000, retry: false });
  return (
    <>
      {ai.data?.enabled && (
        <ActionDialog title={t("aiReview")} trigger={t("aiReview")} open={aiOpen} onOpenChange={setAiOpen}>
          {aiOpen && <AiReview report={report} />}
        </ActionDialog>
      )}
      <DispatchDialog report={report} />
    </>
  );
}

