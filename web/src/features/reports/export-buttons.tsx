// SPDX-License-Identifier: AGPL-3.0-or-later
// The reports of the current filter as CSV or GeoJSON (the analytics export endpoints).
import { useState } from "react";
import { Button } from "@/components/ui";
import { ApiError, downloadFile } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";

export function ExportButtons({ filter }: { filter: string }) {
  const { t } = useI18n();
  const [error, setError] = useState("");
  const download = async (format: "csv" | "geojson") => {
    setError("");
    const query = filter ? `?status=${filter}` : "";
    const day = new Date().toISOString().slice(0, 10);
    try {
      await downloadFile(`/api/analytics/export.${format}${query}`, `cleanai-reports-${day}.${format}`);
    } catch (e) {
      setError(t("exportFailed", { why: e instanceof ApiError ? e.detail : String(e) }));
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button variant="secondary" className="py-1" onClick={() => download("csv")}>
        {t("exportCsv")}
      </Button>
      <Button variant="secondary" className="py-1" onClick={() => download("geojson")}>
        {t("exportGeoJson")}
      </Button>
      {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
    </div>
  );
}
