// SPDX-License-Identifier: AGPL-3.0-or-later
// The public map: what is reported and what is fixed, for anyone. The address bar holds
// the view and the filters, so a link shows someone else the same thing. Never a name:
// the server's public answers carry none.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { Button, Field, Select } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { useAuth } from "@/lib/auth";
import { MAP_START, statusKeys, timeAgo } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import { useWasteLabel, useWasteTypes } from "@/lib/waste-types";
import { areaFeedUrl, createArea, fetchPublicMap, followable, publicKeys, type MapFilters } from "./api";

const MapView = lazy(() => import("@/components/map-view"));

const OPEN_COLOUR = "#b45309";
const FIXED_COLOUR = "#15803d";
const PERIODS = [7, 30, 90, 365];

function number(v: string | null, lo: number, hi: number, fallback: number): number {
  const n = v === null ? NaN : Number(v);
  return Number.isFinite(n) && n >= lo && n <= hi ? n : fallback;
}

/** The map and its filters; `compact` is the homepage's smaller version without the list. */
export function PublicMap({ compact = false }: { compact?: boolean }) {
  const { t, formatDate } = useI18n();
  const { user } = useAuth();
  const label = useWasteLabel();
  const types = useWasteTypes();
  const [params, setParams] = useSearchParams();
  // The first view comes from the address; later views are written back to it.
  const [start] = useState(() => ({
    center: [number(params.get("lat"), -90, 90, MAP_START[0]), number(params.get("lng"), -180, 180, MAP_START[1])] as [number, number],
    zoom: number(params.get("z"), 2, 19, compact ? 5 : 6),
  }));
  const filters: MapFilters = useMemo(() => {
    const show = params.get("show");
    return {
      types: (params.get("types") ?? "").split(",").filter(Boolean),
      show: show === "open" || show === "fixed" ? show : "open,fixed",
      days: PERIODS.includes(Number(params.get("days"))) ? Number(params.get("days")) : 90,
    };
  }, [params]);
  const [view, setView] = useState<{ bbox: string; zoom: number } | null>(null);
  // Leaflet may report a last move after the visitor has left for a report (a click in
  // the list): writing the view into the address then would navigate back to the map.
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);
  const onViewChange = useCallback(
    (bbox: string, zoom: number) => {
      if (!mounted.current) return;
      setView({ bbox, zoom });
      if (compact) return;
      const [w, s, e, n] = bbox.split(",").map(Number);
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          next.set("lat", ((s + n) / 2).toFixed(4));
          next.set("lng", ((w + e) / 2).toFixed(4));
          next.set("z", String(zoom));
          return next;
        },
        { replace: true },
      );
    },
    [compact, setParams],
  );
  const setFilter = (key: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const answer = useQuery({
    queryKey: publicKeys.map(view?.bbox ?? "", view?.zoom ?? 0, filters),
    queryFn: () => fetchPublicMap(view!.bbox, view!.zoom, filters),
    enabled: view !== null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  const points = useMemo(() => answer.data?.reports ?? [], [answer.data]);
  const markers = useMemo(
    () =>
      points.map((r) => ({
        id: r.id,
        lat: r.lat,
        lng: r.lng,
        colour: r.status === "resolved" ? FIXED_COLOUR : OPEN_COLOUR,
        label: `${label(r.wasteType)} — ${t(statusKeys[r.status])}`,
        photo: r.thumbnailUrl ?? undefined,
        details: [`${label(r.wasteType)} — ${t(statusKeys[r.status])}`, timeAgo(r.createdAt, t, formatDate)],
        link: { href: `/reports/${r.id}`, text: t("openReport") },
      })),
    [points, label, t, formatDate],
  );
  const clusterLabel = useCallback((n: number) => t("clusterOf", { n }), [t]);
  const follow = useMutation({
    mutationFn: () => createArea({ label: t("areaDefaultLabel"), bbox: view!.bbox, types: filters.types.join(",") || undefined }),
  });
  const canFollow = view !== null && followable(view.bbox);

  return (
    <div className="flex flex-col gap-3">
      {!compact && (
        <form className="grid grid-cols-2 gap-2 sm:grid-cols-4" onSubmit={(e) => e.preventDefault()} aria-label={t("mapFilters")}>
          <Field id="map-type" label={t("filterType")}>
            <Select id="map-type" value={filters.types[0] ?? ""} onChange={(e) => setFilter("types", e.target.value)}>
              <option value="">{t("allTypes")}</option>
              {(types.data?.items ?? []).map((w) => (
                <option key={w.code} value={w.code}>
                  {label(w.code)}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="map-show" label={t("filterShow")}>
            <Select id="map-show" value={filters.show} onChange={(e) => setFilter("show", e.target.value === "open,fixed" ? "" : e.target.value)}>
              <option value="open,fixed">{t("showBoth")}</option>
              <option value="open">{t("showOpen")}</option>
              <option value="fixed">{t("showFixed")}</option>
            </Select>
          </Field>
          <Field id="map-days" label={t("filterPeriod")}>
            <Select id="map-days" value={String(filters.days)} onChange={(e) => setFilter("days", e.target.value === "90" ? "" : e.target.value)}>
              {PERIODS.map((d) => (
                <option key={d} value={d}>
                  {t("lastDays", { n: d })}
                </option>
              ))}
            </Select>
          </Field>
          <p className="col-span-2 self-end text-sm text-slate-700 sm:col-span-1" role="status">
            {answer.data ? t("reportsInView", { n: answer.data.total }) : t("loading")}
          </p>
        </form>
      )}
      <Suspense fallback={<div className={`${compact ? "h-72" : "h-[60vh]"} rounded bg-slate-200`} />}>
        <MapView
          center={start.center}
          zoom={start.zoom}
          markers={markers}
          cluster
          clusterLabel={clusterLabel}
          bubbles={answer.data?.cells ?? []}
          onViewChange={onViewChange}
          label={t("publicMapLabel")}
          className={compact ? "h-72" : "h-[60vh]"}
        />
      </Suspense>
      <p className="flex flex-wrap gap-x-4 text-sm text-slate-700">
        <span>
          <span aria-hidden className="me-1 inline-block h-3 w-3 rounded-full" style={{ background: OPEN_COLOUR }} />
          {t("legendOpen")}
        </span>
        <span>
          <span aria-hidden className="me-1 inline-block h-3 w-3 rounded-full" style={{ background: FIXED_COLOUR }} />
          {t("legendFixed")}
        </span>
        {answer.data?.clustered && <span>{t("legendCells")}</span>}
      </p>
      {compact ? (
        <Link className="inline-flex min-h-11 items-center font-semibold text-green-800 underline" to="/map">
          {t("openFullMap")}
        </Link>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-3">
            {user && (
              <Button disabled={!canFollow || follow.isPending} onClick={() => follow.mutate()}>
                {t("followArea")}
              </Button>
            )}
            {canFollow && view && (
              <a className="inline-flex min-h-11 items-center text-green-800 underline" href={areaFeedUrl(view.bbox, filters.types)}>
                {t("areaFeed")}
              </a>
            )}
            {!canFollow && <span className="text-sm text-slate-700">{t("zoomInToFollow")}</span>}
          </div>
          {follow.isSuccess && (
            <p role="status" className="rounded bg-green-50 p-3 text-sm">
              {t("areaFollowed")}{" "}
              <Link className="text-green-800 underline" to="/settings/notifications">
                {t("manageAreas")}
              </Link>
            </p>
          )}
          {follow.error && (
            <p role="alert" className="rounded bg-rose-50 p-3 text-sm">
              {follow.error instanceof ApiError && follow.error.status === 409 ? t("tooManyAreas") : t("actionFailed")}
            </p>
          )}
          {points.length > 0 && (
            <section aria-labelledby="in-view">
              <h2 id="in-view" className="text-lg font-semibold">
                {t("newestInView")}
              </h2>
              <ul className="mt-2 divide-y divide-slate-200 rounded border border-slate-200 bg-white">
                {points.slice(0, 20).map((r) => (
                  <li key={r.id}>
                    <Link to={`/reports/${r.id}`} className="flex min-h-11 items-center gap-3 px-3 py-2 hover:bg-slate-50">
                      {r.thumbnailUrl ? (
                        <img src={r.thumbnailUrl} alt="" width={48} height={48} className="h-12 w-12 rounded object-cover" loading="lazy" />
                      ) : (
                        <span aria-hidden className="h-12 w-12 rounded bg-slate-200" />
                      )}
                      <span className="flex-1">
                        <span className="block font-medium">{label(r.wasteType)}</span>
                        <span className="block text-sm text-slate-700">
                          {t(statusKeys[r.status])} · {timeAgo(r.createdAt, t, formatDate)}
                        </span>
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </div>
  );
}

export default function PublicMapPage() {
  const { t } = useI18n();
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-3 px-4 py-6">
      <h1 className="text-2xl font-bold">{t("publicMapTitle")}</h1>
      <p className="text-slate-700">{t("publicMapIntro")}</p>
      <PublicMap />
    </div>
  );
}
