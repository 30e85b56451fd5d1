// SPDX-License-Identifier: AGPL-3.0-or-later
// "Already reported?": once a type and a position are known, open reports of that type
// within 250 m are offered, and the citizen can say it is still there instead of filing.
import { useEffect, useState } from "react";
import { Button, StatusBadge } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { checkCoordinates } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import type { Report } from "@/lib/types";
import { confirmReport, fetchNearby } from "./api";

export function AlreadyReported({
  wasteType,
  lat,
  lng,
  onMessage,
}: {
  wasteType: string;
  lat: string;
  lng: string;
  onMessage: (message: string) => void;
}) {
  const { t } = useI18n();
  const [nearby, setNearby] = useState<Report[]>([]);
  useEffect(() => {
    if (!wasteType || lat === "" || checkCoordinates(lat, lng)) {
      setNearby([]);
      return;
    }
    const timer = setTimeout(() => {
      fetchNearby(Number(lat), Number(lng), wasteType)
        .then((r) => setNearby(r.items))
        .catch(() => setNearby([]));
    }, 300);
    return () => clearTimeout(timer);
  }, [wasteType, lat, lng]);
  if (nearby.length === 0) return null;
  return (
    <div role="region" aria-label={t("alreadyReportedRegion")} className="rounded border border-amber-300 bg-amber-50 p-3">
      <p className="text-sm font-semibold">{t("alreadyReported")}</p>
      <ul className="mt-2 flex flex-col gap-2">
        {nearby.map((r) => (
          <li key={r.id} className="flex items-center gap-2 text-sm">
            <img src={r.thumbnailUrl} alt={`${r.wasteType}: ${r.location.address}`} className="h-10 w-10 rounded object-cover" />
            <span>{t("metresAway", { m: Math.round(r.distanceM ?? 0) })}</span>
            <StatusBadge status={r.status} />
            <Button
              type="button"
              variant="secondary"
              onClick={() =>
                confirmReport(r.id, "still_there")
                  .then(() => onMessage(t("confirmedThanks")))
                  .catch((err) => onMessage(err instanceof ApiError ? err.detail : "Could not confirm."))
              }
            >
              {t("stillThere")}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
