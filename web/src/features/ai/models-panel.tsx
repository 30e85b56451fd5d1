// SPDX-License-Identifier: AGPL-3.0-or-later
// The model registry on the dashboard: which model is live, each trained version's model
// card (held-out scores per waste type) and how the candidate in shadow agrees with the
// admins next to the live model; promote a version, or roll back to an earlier one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui";
import { api } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { useWasteLabel } from "@/lib/waste-types";

interface PerClass {
  truths: number;
  precision: number | null;
  recall: number | null;
  ap50: number | null;
}

interface ModelCard {
  metrics?: { map50: number; map50_95: number; agreement: number | null; per_class: Record<string, PerClass> };
  data?: { train: { photos: number }; val: { photos: number; reports: number } };
  training_seconds?: number;
  settings?: { scale: string; size: number; epochs: number };
}

export interface RegisteredModel {
  version: number;
  name: string;
  status: "candidate" | "live" | "retired";
  createdAt: string;
  card: ModelCard | null;
  shadow: { photos: number; labelled: number; agreement: number | null; liveAgreement: number | null } | null;
}

interface Registry {
  models: RegisteredModel[];
  running: { name: string; version: number | null } | null;
}

const statusKey = { candidate: "aiModelStatusCandidate", live: "aiModelStatusLive", retired: "aiModelStatusRetired" } as const;

const percent = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${Math.round(v * 100)}%`);

function CardDetails({ model }: { model: RegisteredModel }) {
  const { t } = useI18n();
  const label = useWasteLabel();
  const m = model.card?.metrics;
  if (!m) return <p className="text-xs text-slate-700">{t("aiModelNoCard")}</p>;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-green-800 underline">{t("aiModelCard")}</summary>
      <p className="mt-1 text-xs text-slate-700">
        {t("aiModelHeldOut", {
          photos: String(model.card?.data?.val.photos ?? 0),
          reports: String(model.card?.data?.val.reports ?? 0),
          trained: String(model.card?.data?.train.photos ?? 0),
        })}
      </p>
      <table className="mt-1 text-xs">
        <thead>
          <tr>
            <th scope="col" className="pe-3 text-start">{t("aiModelType")}</th>
            <th scope="col" className="pe-3 text-end">{t("aiModelPrecision")}</th>
            <th scope="col" className="pe-3 text-end">{t("aiModelRecall")}</th>
            <th scope="col" className="text-end">AP50</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(m.per_class).map(([type, c]) => (
            <tr key={type}>
              <td className="pe-3">{label(type)}</td>
              <td className="pe-3 text-end">{percent(c.precision)}</td>
              <td className="pe-3 text-end">{percent(c.recall)}</td>
              <td className="text-end">{c.ap50 === null ? "—" : c.ap50.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function ModelsPanel() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const registry = useQuery({ queryKey: ["ai", "models"], queryFn: () => api<Registry>("/api/ai/models"), refetchInterval: 30_000 });
  const promote = useMutation({
    mutationFn: (version: number) => api(`/api/ai/models/${version}/promote`, { method: "POST" }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["ai"] });
    },
  });
  const r = registry.data;
  if (!r || r.models.length === 0) return null;  // nothing trained yet: the AI card says enough
  const live = r.models.find((m) => m.status === "live");
  return (
    <section aria-labelledby="ai-models" className="mt-4">
      <h3 id="ai-models" className="font-semibold">{t("aiModelsTitle")}</h3>
      <p className="text-sm">
        {!live
          ? t("aiModelConfigured", { name: r.running?.name ?? "—" })
          : live.name === `version ${live.version}`
            ? t("aiModelLiveUnnamed", { version: String(live.version) })
            : t("aiModelLive", { name: live.name, version: String(live.version) })}
      </p>
      <ul className="mt-2 divide-y divide-slate-200">
        {r.models.map((m) => (
          <li key={m.version} className="flex flex-col gap-1 py-2 sm:flex-row sm:items-start sm:justify-between">
            <div className="flex flex-col gap-1">
              <p className="text-sm">
                <span className="font-medium">
                  {t("aiModelVersion", { version: String(m.version) })}
                  {m.name !== `version ${m.version}` && ` · ${m.name}`}
                </span>{" "}
                <span className="rounded bg-slate-100 px-1 text-xs text-slate-800">{t(statusKey[m.status])}</span>
              </p>
              {m.card?.metrics && (
                <p className="text-xs text-slate-700">
                  {t("aiModelScores", { map50: m.card.metrics.map50.toFixed(2), map: m.card.metrics.map50_95.toFixed(2) })}
                </p>
              )}
              {m.shadow && m.shadow.labelled > 0 && (
                <p className="text-xs text-slate-700">
                  {t("aiModelShadow", { agree: percent(m.shadow.agreement), live: percent(m.shadow.liveAgreement), n: String(m.shadow.labelled) })}
                </p>
              )}
              <CardDetails model={m} />
            </div>
            {m.status !== "live" && (
              <Button
                variant="secondary"
                disabled={promote.isPending}
                onClick={() => promote.mutate(m.version)}
              >
                {live && m.version < live.version ? t("aiModelRollBack", { version: String(m.version) }) : t("aiModelPromote", { version: String(m.version) })}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {promote.isError && <p role="alert" className="text-sm text-rose-800">{t("aiModelPromoteFailed")}</p>}
    </section>
  );
}
