// SPDX-License-Identifier: AGPL-3.0-or-later
// What an operator can do with a report: acknowledge, reject (with a reason), merge into
// a nearby report, mark resolved. `children` are other features' actions (the page's).
import { useState, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ActionDialog } from "@/components/action-dialog";
import { Button, Field, Input } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { statusKeys } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import { queryKeys } from "@/lib/query-keys";
import type { Report, ReportStatus } from "@/lib/types";
import { useWasteLabel } from "@/lib/waste-types";
import { changeStatus, fetchNearbyAny } from "./api";

export function ReportActions({ report, children }: { report: Report; children?: ReactNode }) {
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [rejectOpen, setRejectOpen] = useState(false);
  const [duplicateOpen, setDuplicateOpen] = useState(false);
  const [original, setOriginal] = useState("");
  const label = useWasteLabel();
  const candidates = useQuery({
    queryKey: [...queryKeys.reports, "nearby", report.id],
    queryFn: () => fetchNearbyAny(report.location.lat, report.location.lng),
    enabled: duplicateOpen,
  });
  const done = () => {
    setError("");
    setRejectOpen(false);
    setDuplicateOpen(false);
    queryClient.invalidateQueries({ queryKey: queryKeys.reports });
    queryClient.invalidateQueries({ queryKey: queryKeys.fleet });
  };
  const fail = (e: unknown) => setError(e instanceof ApiError ? e.detail : t("actionFailed"));
  const status = useMutation({ mutationFn: (body: Record<string, string>) => changeStatus(report.id, body), onSuccess: done, onError: fail });
  const open: ReportStatus[] = ["submitted", "acknowledged"];
  return (
    <div className="flex flex-wrap gap-2">
      {children}
      {report.status === "submitted" && (
        <Button variant="secondary" onClick={() => status.mutate({ status: "acknowledged" })}>
          {t("acknowledge")}
        </Button>
      )}
      {(open.includes(report.status) || report.status === "dispatched") && (
        <ActionDialog title={t("rejectTitle")} trigger={t("reject")} open={rejectOpen} onOpenChange={setRejectOpen}>
          <Field id={`reason-${report.id}`} label={t("rejectReason")}>
            <Input id={`reason-${report.id}`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
          <Button variant="danger" className="mt-3" disabled={!reason} onClick={() => status.mutate({ status: "rejected", reason })}>
            {t("reject")}
          </Button>
        </ActionDialog>
      )}
      {open.includes(report.status) && (
        <ActionDialog title={t("duplicateTitle")} trigger={t("markDuplicate")} open={duplicateOpen} onOpenChange={setDuplicateOpen}>
          {candidates.data && candidates.data.items.filter((c) => c.id !== report.id).length === 0 && (
            <p className="text-sm">{t("duplicateNone")}</p>
          )}
          <fieldset className="mt-2 flex flex-col gap-2">
            <legend className="text-sm font-medium">{t("duplicateOf")}</legend>
            {candidates.data?.items
              .filter((c) => c.id !== report.id)
              .map((c) => (
                <label key={c.id} className="flex items-center gap-2 text-sm">
                  <input type="radio" name={`dup-${report.id}`} value={c.id} checked={original === c.id} onChange={() => setOriginal(c.id)} />
                  <img src={c.thumbnailUrl} alt="" className="h-10 w-10 rounded object-cover" />
                  {label(c.wasteType)} · {t("metresAway", { m: Math.round(c.distanceM ?? 0) })} · {t(statusKeys[c.status])}
                </label>
              ))}
          </fieldset>
          {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
          <Button className="mt-3" disabled={!original} onClick={() => status.mutate({ status: "duplicate", duplicateOf: original })}>
            {t("merge")}
          </Button>
        </ActionDialog>
      )}
      {(report.status === "dispatched" || report.status === "in_progress") && (
        <Button variant="secondary" onClick={() => status.mutate({ status: "resolved" })}>
          {t("markResolved")}
        </Button>
      )}
      {error && !rejectOpen && !duplicateOpen && <p role="alert" className="text-sm text-rose-700">{error}</p>}
    </div>
  );
}
