// SPDX-License-Identifier: AGPL-3.0-or-later
// The AI on the dashboard: how much it has seen, how fast, how often people agree with
// it — or, without a model, that it is off and why.
import { useQuery } from "@tanstack/react-query";
import { Card } from "@/components/ui";
import { api } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { useWasteLabel } from "@/lib/waste-types";
import { ModelsPanel } from "./models-panel";

interface AiStats {
  enabled: boolean;
  reason: string | null;
  model: string | null;
  photosAnalysed: number;
  latencyMs: { p50: number; p95: number };
  queueLength: number;
  agreementWithCitizens: { compared: number; share: number | null };
  agreementWithAdmins: { compared: number; share: number | null };
  confusion: { adminType: string; aiType: string | null; count: number }[];
}

const percent = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);

export function AiCard() {
  const { t } = useI18n();
  const label = useWasteLabel();
  const stats = useQuery({ queryKey: ["ai", "stats"], queryFn: () => api<AiStats>("/api/ai/stats"), refetchInterval: 30_000 });
  const s = stats.data;
  return (
    <Card title={t("aiCardTitle")} className="md:col-span-3">
      {!s ? (
        <p>{t("loading")}</p>
      ) : !s.enabled ? (
        <p className="text-sm" title={s.reason ?? undefined}>
          {t("aiCardOff")}
        </p>
      ) : (
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
          {[
            [t("aiCardPhotos"), String(s.photosAnalysed)],
            [t("aiCardLatency"), `${Math.round(s.latencyMs.p50)} / ${Math.round(s.latencyMs.p95)} ms`],
            [t("aiCardQueue"), String(s.queueLength)],
            [t("aiCardCitizens"), percent(s.agreementWithCitizens.share)],
            [t("aiCardAdmins"), percent(s.agreementWithAdmins.share)],
          ].map(([k, v]) => (
            <div key={k}>
              <dt className="text-slate-700">{k}</dt>
              <dd className="text-lg font-semibold">{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {s?.enabled && s.confusion.length > 0 && (
        <table className="mt-3 text-sm">
          <caption className="text-start font-medium">{t("aiConfusion")}</caption>
          <thead>
            <tr>
              <th scope="col" className="pe-4 text-start">{t("aiConfusionAdmin")}</th>
              <th scope="col" className="pe-4 text-start">{t("aiConfusionAi")}</th>
              <th scope="col" className="text-end">{t("aiConfusionCount")}</th>
            </tr>
          </thead>
          <tbody>
            {s.confusion.map((c) => (
              <tr key={`${c.adminType}-${c.aiType}`} className={c.aiType === c.adminType ? "" : "text-amber-900"}>
                <td className="pe-4">{label(c.adminType)}</td>
                <td className="pe-4">{c.aiType ? label(c.aiType) : t("aiNothing")}</td>
                <td className="text-end">{c.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s?.model && <p className="mt-2 text-xs text-slate-700">{t("aiCardModel", { model: s.model })}</p>}
      <ModelsPanel />
    </Card>
  );
}
