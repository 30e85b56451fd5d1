// SPDX-License-Identifier: AGPL-3.0-or-later
// Sending a truck to one report: the report as the operator needs to judge it (photo,
// type, size, place) and the trucks ranked by distance and room, each with its driver and
// state. A truck without a driver or far away needs a deliberate override. The list is
// refreshed when the dialog opens: trucks change state while the page is open.
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ActionDialog } from "@/components/action-dialog";
import { Button } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { sizeKey, vehicleStatusKeys } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import { queryKeys } from "@/lib/query-keys";
import type { Report } from "@/lib/types";
import { useWasteLabel } from "@/lib/waste-types";
import { dispatchReport, fleetKeys, useFleet } from "./api";
import { rankTrucks } from "./rank-trucks";

export function DispatchDialog({ report }: { report: Report }) {
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const label = useWasteLabel();
  const fleet = useFleet();
  const [open, setOpen] = useState(false);
  const [vehicle, setVehicle] = useState("");
  const [override, setOverride] = useState(false);
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
  const choices = rankTrucks(report, fleet.data?.items ?? []);
  const chosen = choices.find((c) => c.vehicle.id === vehicle);
  const onOpenChange = (o: boolean) => {
    if (o) {
      fleet.refetch();
      setVehicle("");
      setOverride(false);
    }
    setOpen(o);
  };
  return (
    <ActionDialog title={t("dispatchTitle")} trigger={t("dispatch")} open={open} onOpenChange={onOpenChange}>
      <section aria-label={t("dispatchFor")} className="mt-2 flex gap-3 rounded bg-slate-50 p-2 text-sm">
        <img src={report.thumbnailUrl} alt="" className="h-16 w-16 rounded object-cover" />
        <div className="flex min-w-0 flex-col">
          <span className="font-semibold">{label(report.wasteType)}</span>
          <span>{t(sizeKey(report.size))}</span>
          <span className="break-words text-slate-700">
            {report.location.address}
            {report.location.city ? `, ${report.location.city}` : ""}
          </span>
        </div>
      </section>
      <fieldset className="mt-3 flex flex-col gap-1">
        <legend className="text-sm font-medium">{t("trucksRanked")}</legend>
        {fleet.data && choices.length === 0 && <p className="text-sm">{t("noTrucks")}</p>}
        {choices.map((c) => (
          <label
            key={c.vehicle.id}
            className={`flex items-center gap-2 rounded border p-2 text-sm ${c.needsOverride ? "border-amber-400 bg-amber-50" : "border-slate-200"}`}
          >
            <input
              type="radio"
              name={`truck-${report.id}`}
              value={c.vehicle.id}
              checked={vehicle === c.vehicle.id}
              onChange={() => {
                setVehicle(c.vehicle.id);
                setOverride(false);
              }}
            />
            <span className="flex flex-1 flex-col">
              <span className="font-semibold">
                {c.vehicle.vehicleNumber}
                {c.vehicle.driverName ? ` — ${c.vehicle.driverName}` : ""}
              </span>
              <span className="text-xs text-slate-700">
                {c.distanceM === null ? t("truckNoPosition") : t("truckDistance", { km: (c.distanceM / 1000).toFixed(1) })}
                {" · "}
                {t("truckRoom", { n: Math.max(0, c.room) })}
                {" · "}
                {t(vehicleStatusKeys[c.vehicle.status] ?? "vehicleIdle")}
                {c.noDriver && <strong className="ms-1 text-amber-900">· {t("truckNoDriver")}</strong>}
                {c.far && <strong className="ms-1 text-amber-900">· {t("truckFar")}</strong>}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      {chosen?.needsOverride && (
        <label className="mt-2 flex items-center gap-2 text-sm">
          <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} />
          {t("dispatchOverride")}
        </label>
      )}
      {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
      <Button
        className="mt-3"
        disabled={!chosen || (chosen.needsOverride && !override) || dispatch.isPending}
        onClick={() => dispatch.mutate()}
      >
        {t("sendVehicle")}
      </Button>
    </ActionDialog>
  );
}
