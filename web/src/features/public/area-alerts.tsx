// SPDX-License-Identifier: AGPL-3.0-or-later
// The areas a user follows (made from the map, or a city by name here), each removable.
import { useState } from "react";
import { Link } from "react-router-dom";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Field, Input } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { useWasteLabel } from "@/lib/waste-types";
import { createArea, fetchAreas, publicKeys, removeArea, type AreaSubscription } from "./api";

function describe(a: AreaSubscription, t: ReturnType<typeof useI18n>["t"]): string {
  if (a.area.kind === "city") return t("areaCity", { city: a.area.city ?? "" });
  if (a.area.kind === "radius") return t("areaRadius", { m: Math.round(a.area.radiusM ?? 0) });
  return t("areaBox");
}

export function AreaAlerts() {
  const { t } = useI18n();
  const label = useWasteLabel();
  const queryClient = useQueryClient();
  const areas = useQuery({ queryKey: publicKeys.areas, queryFn: fetchAreas });
  const refresh = () => queryClient.invalidateQueries({ queryKey: publicKeys.areas });
  const remove = useMutation({ mutationFn: removeArea, onSuccess: refresh });
  const [city, setCity] = useState("");
  const add = useMutation({
    mutationFn: () => createArea({ label: city.trim(), city: city.trim() }),
    onSuccess: () => {
      setCity("");
      refresh();
    },
  });
  return (
    <Card title={t("areaAlertsTitle")}>
      <p className="text-sm text-slate-700">
        {t("areaAlertsHelp")}{" "}
        <Link className="text-green-800 underline" to="/map">
          {t("openFullMap")}
        </Link>
      </p>
      <ul className="mt-3 divide-y divide-slate-200">
        {(areas.data?.items ?? []).map((a) => (
          <li key={a.id} className="flex flex-wrap items-center gap-2 py-2">
            <span className="flex-1">
              <span className="block font-medium">{a.label}</span>
              <span className="block text-sm text-slate-700">
                {describe(a, t)}
                {a.types.length > 0 && ` · ${a.types.map(label).join(", ")}`}
              </span>
            </span>
            <Button variant="secondary" onClick={() => remove.mutate(a.id)} aria-label={t("removeAreaNamed", { name: a.label })}>
              {t("removeArea")}
            </Button>
          </li>
        ))}
        {areas.data?.items.length === 0 && <li className="py-2 text-sm text-slate-700">{t("noAreas")}</li>}
      </ul>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (city.trim()) add.mutate();
        }}
      >
        <Field id="follow-city" label={t("followCity")}>
          <Input id="follow-city" value={city} onChange={(e) => setCity(e.target.value)} maxLength={100} placeholder="Karachi" />
        </Field>
        <Button type="submit" disabled={add.isPending || !city.trim()}>
          {t("followArea")}
        </Button>
      </form>
      {add.error && (
        <p role="alert" className="mt-2 text-sm text-rose-800">
          {add.error instanceof ApiError ? add.error.detail : t("actionFailed")}
        </p>
      )}
    </Card>
  );
}
