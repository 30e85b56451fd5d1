// SPDX-License-Identifier: AGPL-3.0-or-later
// After the citizen picks a photo: what the AI thinks it shows, with a one-tap "use it".
// Silent when the AI is off, offline or busy: the citizen's own choice always stands.
import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useWasteLabel } from "@/lib/waste-types";
import { aiKeys, analyzePhoto, fetchAiStatus, type PhotoAnalysis } from "./api";

export function AiSuggestion({ photo, current, onUse }: { photo: File | null; current: string; onUse: (type: string) => void }) {
  const { t } = useI18n();
  const label = useWasteLabel();
  const status = useQuery({ queryKey: aiKeys.status, queryFn: fetchAiStatus, staleTime: 5 * 60_000, retry: false });
  const [result, setResult] = useState<PhotoAnalysis | null>(null);
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    setResult(null);
    if (!photo || !status.data?.enabled || !navigator.onLine) return;
    let cancelled = false;
    setChecking(true);
    analyzePhoto(photo)
      .then((r) => !cancelled && setResult(r))
      .catch(() => {})
      .finally(() => !cancelled && setChecking(false));
    return () => {
      cancelled = true;
    };
  }, [photo, status.data?.enabled]);
  if (checking) return <p className="text-xs text-slate-700">{t("aiChecking")}</p>;
  if (!result?.detectedType) return null;
  const type = result.detectedType;
  return (
    <div role="status" className="flex flex-wrap items-center gap-2 rounded bg-emerald-50 p-2 text-sm text-emerald-950">
      <span>{t("aiSuggests", { type: label(type), p: Math.round((result.confidence ?? 0) * 100) })}</span>
      {current !== type && (
        <Button variant="secondary" type="button" onClick={() => onUse(type)}>
          {t("aiUse", { type: label(type) })}
        </Button>
      )}
    </div>
  );
}
