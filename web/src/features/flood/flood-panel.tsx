// SPDX-License-Identifier: AGPL-3.0-or-later
// The flood-risk panel: counts per level, the top areas with their factors, how the index
// is worked out, and the rainfall an admin enters when no forecast service is configured.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Field, Input } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { useI18n, type MessageKey } from "@/lib/i18n";
import { enterRainfall, fetchFloodRisk, floodColour, floodKeys, type FloodLevel } from "./api";

export const levelKeys: Record<FloodLevel, MessageKey> = {
  low: "floodLow",
  moderate: "floodModerate",
  high: "floodHigh",
  severe: "floodSevere",
};

export function useFloodRisk() {
  return useQuery({ queryKey: floodKeys.risk, queryFn: fetchFloodRisk, refetchInterval: 120_000 });
}

export function FloodPanel() {
  const { t, formatDate } = useI18n();
  const queryClient = useQueryClient();
  const risk = useFloodRisk();
  const [mm, setMm] = useState("");
  const save = useMutation({
    mutationFn: () => enterRainfall(Number(mm)),
    onSuccess: () => {
      setMm("");
      queryClient.invalidateQueries({ queryKey: ["flood"] });
    },
  });
  const data = risk.data;
  const top = (data?.areas ?? []).slice(0, 5);
  return (
    <Card title={t("floodRisk")}>
      <p className="text-xs text-slate-700">{t("floodIntro")}</p>
      {data && (
        <ul className="my-2 flex gap-2 text-xs" aria-label={t("floodRisk")}>
          {(["severe", "high", "moderate", "low"] as FloodLevel[]).map((l) => (
            <li key={l} className="rounded bg-slate-100 px-2 py-1">
              <svg width="8" height="8" aria-hidden="true" className="me-1 inline">
                <circle cx="4" cy="4" r="4" fill={floodColour[l]} />
              </svg>
              {t(levelKeys[l])}: {data.levels[l]}
            </li>
          ))}
        </ul>
      )}
      {data && top.length === 0 && <p className="text-sm text-slate-600">{t("floodNone")}</p>}
      <ol className="flex flex-col gap-2 text-sm">
        {top.map((a) => (
          <li key={a.key} className="rounded border border-slate-200 p-2" data-flood-level={a.level}>
            <div className="flex justify-between gap-2">
              <span className="font-semibold">{a.place ?? `${a.lat.toFixed(3)}, ${a.lng.toFixed(3)}`}</span>
              <span className="font-semibold">
                {t(levelKeys[a.level])} · {t("floodIndex", { index: a.index.toFixed(1) })}
              </span>
            </div>
            <p className="text-xs text-slate-700">{t("floodDrains", { n: a.factors.drainReports, days: Math.floor(a.factors.oldestDays) })}</p>
            <p className="text-xs text-slate-700">
              {a.factors.rainMmNext24h === null
                ? t("floodRainUnknown")
                : t("floodRain", {
                    mm: a.factors.rainMmNext24h,
                    source: t(a.factors.rainSource === "forecast" ? "rainForecast" : "rainAdmin"),
                  })}
            </p>
            {a.factors.lowLyingArea && <p className="text-xs text-slate-700">{t("floodLowLying", { name: a.factors.lowLyingArea })}</p>}
          </li>
        ))}
      </ol>
      <details className="mt-2 text-xs">
        <summary className="cursor-pointer font-medium">{t("floodHow")}</summary>
        <p className="mt-1 text-slate-700">{t("floodFormula")}</p>
      </details>
      {data?.forecastConfigured ? (
        <p className="mt-2 text-xs text-slate-700">{t("forecastOn")}</p>
      ) : (
        <form
          className="mt-2 flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Field id="rainfall-mm" label={t("rainfallEntry")}>
            <Input id="rainfall-mm" type="number" min={0} max={1000} step="0.1" value={mm} onChange={(e) => setMm(e.target.value)} />
          </Field>
          <Button type="submit" variant="secondary" disabled={mm === "" || save.isPending}>
            {t("saveRainfall")}
          </Button>
        </form>
      )}
      {data?.adminRainfall && (
        <p className="mt-1 text-xs text-slate-700">
          {t("rainfallSaved", { mm: data.adminRainfall.mmNext24h, until: formatDate(data.adminRainfall.validUntil) })}
        </p>
      )}
      {save.error && <p role="alert" className="text-sm text-rose-700">{save.error instanceof ApiError ? save.error.detail : t("actionFailed")}</p>}
    </Card>
  );
}
