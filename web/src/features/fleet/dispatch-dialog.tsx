// Sending a truck to one report: the available vehicles (idle or busy), refreshed when the
// dialog opens because they change status while the page is open.
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ActionDialog } from "@/components/action-dialog";
import { Button, Field, Select } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { queryKeys } from "@/lib/query-keys";
import type { Report } from "@/lib/types";
import { dispatchReport, fleetKeys, useFleet } from "./api";

export function DispatchDialog({ report }: { report: Report }) {
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const fleet = useFleet();
  const [open, setOpen] = useState(false);
  const [vehicle, setVehicle] = useState("");
  const [error, setError] = useState("");
  const dispatch = useMutation({
    mutationFn: () => dispatchReport(vehicle, report.id),
    onSuccess: () => {
      setError("");
      setOpen(false);
      queryClient.invalidateQueries({ queryKey: queryKeys.reports });
      queryClient.invalidateQueries({ queryKey: fleetKeys.all });
    },
    onError: (e: unknown) => setError(e instanceof ApiError ? e.detail : t("actionFailed")),
  });
  if (report.status !== "submitted" && report.status !== "acknowledged") return null;
  const onOpenChange = (o: boolean) => {
    if (o) fleet.refetch();
    setOpen(o);
  };
  return (
    <ActionDialog title={t("dispatchTitle")} trigger={t("dispatch")} open={open} onOpenChange={onOpenChange}>
      <Field id={`vehicle-${report.id}`} label={t("vehicle")}>
        <Select id={`vehicle-${report.id}`} value={vehicle} onChange={(e) => setVehicle(e.target.value)}>
          <option value="">{t("choose")}</option>
          {fleet.data?.items
            .filter((v) => v.status === "idle" || v.status === "busy")
            .map((v) => (
              <option key={v.id} value={v.id}>
                {v.vehicleNumber} — {v.status}
                {v.driverName ? `, ${v.driverName}` : ""}
              </option>
            ))}
        </Select>
      </Field>
      {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
      <Button className="mt-3" disabled={!vehicle || dispatch.isPending} onClick={() => dispatch.mutate()}>
        {t("sendVehicle")}
      </Button>
    </ActionDialog>
  );
}
