// SPDX-License-Identifier: AGPL-3.0-or-later
// The admin's look at what the AI saw: the photo with its boxes, the AI's type and
// confidence next to the citizen's, and confirm/correct (which feeds the training data).
import { useEffect, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Select } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import type { Report } from "@/lib/types";
import { useWasteLabel, useWasteTypes } from "@/lib/waste-types";
import { aiKeys, fetchReportAnalysis, saveLabel } from "./api";
import { BoxEditor, DetectionOverlay, type Box } from "./detection-overlay";

export function AiReview({ report }: { report: Report }) {
  const { t } = useI18n();
  const label = useWasteLabel();
  const queryClient = useQueryClient();
  const analysis = useQuery({ queryKey: aiKeys.report(report.id), queryFn: () => fetchReportAnalysis(report.id) });
  const types = useWasteTypes();
  const result = analysis.data?.photos.find((p) => p.photo === "report");
  const [choice, setChoice] = useState(report.wasteType);
  // null: the AI's boxes are the label; a list: the admin's own.
  const [boxes, setBoxes] = useState<Box[] | null>(null);
  useEffect(() => {
    setChoice(analysis.data?.label?.wasteType ?? result?.detectedType ?? report.wasteType);
    const own = analysis.data?.label?.boxes;
    setBoxes(own && own.length > 0 ? own : null);
  }, [analysis.data, result, report.wasteType]);
  const save = useMutation({
    mutationFn: () => saveLabel(report.id, choice, boxes ?? undefined),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ["reports"] });
      queryClient.invalidateQueries({ queryKey: ["ai"] });
    },
  });
  if (analysis.isLoading) return <p>{t("loading")}</p>;
  const data = analysis.data;
  return (
    <div className="flex flex-col gap-3 text-sm">
      {boxes !== null ? (
        <BoxEditor src={report.imageUrl} alt={t("aiPhotoAlt")} boxes={boxes} onChange={setBoxes} />
      ) : result ? (
        <DetectionOverlay src={report.imageUrl} alt={t("aiPhotoAlt")} detections={result.detections} />
      ) : (
        <img src={report.imageUrl} alt={t("aiPhotoAlt")} className="max-h-72 w-auto rounded" />
      )}
      {boxes === null && (
        <Button variant="secondary" type="button" onClick={() => setBoxes([])}>
          {t("aiDrawBoxes")}
        </Button>
      )}
      <dl className="grid grid-cols-2 gap-x-3 gap-y-1">
        <dt className="text-slate-700">{t("aiCitizenSaid")}</dt>
        <dd className="font-medium">{label(data?.citizenType ?? report.wasteType)}</dd>
        <dt className="text-slate-700">{t("aiSaw")}</dt>
        <dd className="font-medium">
          {!data?.enabled
            ? t("aiOff")
            : !result
              ? t("aiPending")
              : result.detectedType
                ? `${label(result.detectedType)} (${Math.round((result.confidence ?? 0) * 100)}%)`
                : t("aiNothing")}
        </dd>
        {result && (
          <>
            <dt className="text-slate-700">{t("aiCoverage")}</dt>
            <dd>{Math.round(result.coverage * 100)}%</dd>
          </>
        )}
      </dl>
      <label htmlFor={`ai-type-${report.id}`} className="font-medium">
        {t("aiConfirmLabel")}
      </label>
      <Select id={`ai-type-${report.id}`} value={choice} onChange={(e) => setChoice(e.target.value)}>
        {types.data?.items.map((w) => (
          <option key={w.code} value={w.code}>
            {label(w.code)}
          </option>
        ))}
      </Select>
      <Button disabled={save.isPending} onClick={() => save.mutate()}>
        {choice === report.wasteType ? t("aiConfirm") : t("aiCorrect")}
      </Button>
      {save.isSuccess && <p role="status" className="text-green-800">{t("aiSaved")}</p>}
      {save.error && <p role="alert" className="text-rose-700">{save.error instanceof ApiError ? save.error.detail : t("actionFailed")}</p>}
    </div>
  );
}

// "AI: Glass 95 %" beside a report's type; marked when it disagrees with the citizen.
export function AiBadge({ report }: { report: Report }) {
  const { t } = useI18n();
  const label = useWasteLabel();
  if (!report.aiDetectedType) return null;
  const agrees = report.aiDetectedType === report.wasteType;
  return (
    <span className={`rounded px-1.5 text-xs ${agrees ? "bg-emerald-50 text-emerald-900" : "bg-amber-100 text-amber-900"}`}>
      {t("aiBadge", { type: label(report.aiDetectedType), p: Math.round((report.aiConfidence ?? 0) * 100) })}
      {!agrees && ` · ${t("aiDisagrees")}`}
    </span>
  );
}
