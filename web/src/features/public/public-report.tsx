// SPDX-License-Identifier: AGPL-3.0-or-later
// A report as anyone may see it (GET /api/public/reports/:id): what, where, its public
// timeline, the photos once the city has seen it; signed-in readers may follow it.
import { lazy, Suspense } from "react";
import { Link } from "react-router-dom";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, StatusBadge } from "@/components/ui";
import { api, ApiError } from "@/lib/api-client";
import { useAuth } from "@/lib/auth";
import { sizeKey, statusKeys } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import { queryKeys } from "@/lib/query-keys";
import type { Report } from "@/lib/types";
import { useWasteLabel } from "@/lib/waste-types";
import { fetchFollowing, fetchPublicReport, publicKeys, setFollowing } from "./api";

const MapView = lazy(() => import("@/components/map-view"));

/** Follow / stop following: the report's news then reaches the reader like its reporter. */
export function FollowButton({ id }: { id: string }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const following = useQuery({ queryKey: publicKeys.follow(id), queryFn: () => fetchFollowing(id), enabled: !!user });
  const change = useMutation({
    mutationFn: (follow: boolean) => setFollowing(id, follow),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: publicKeys.follow(id) }),
  });
  if (!user || !following.data) return null;
  const on = following.data.following;
  return (
    <Button variant="secondary" aria-pressed={on} disabled={change.isPending} onClick={() => change.mutate(!on)}>
      {on ? t("unfollowReport") : t("followReport")}
    </Button>
  );
}

/** An admin keeps a photo with a face or a plate off the public map, or shows it again. */
export function PhotoVisibilityButton({ report }: { report: Report }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (hidden: boolean) => api<Report>(`/api/reports/${report.id}/photo-visibility`, { method: "PUT", json: { hidden } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.reports }),
  });
  const hidden = !!report.photoHidden;
  return (
    <Button variant="secondary" disabled={change.isPending} onClick={() => change.mutate(!hidden)}>
      {hidden ? t("showPhotoPublicly") : t("hidePhotoPublicly")}
    </Button>
  );
}

/** "Still there": a signed-in citizen who passes an open report confirms it (three raise its priority). */
function StillThereButton({ id }: { id: string }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: () => api<Report>(`/api/reports/${id}/confirm`, { method: "POST", json: { kind: "still_there" } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: publicKeys.report(id) }),
  });
  if (user?.role !== "citizen") return null;
  if (confirm.isSuccess) return <p role="status" className="self-center text-sm text-green-900">{t("confirmedThanks")}</p>;
  return (
    <Button variant="secondary" disabled={confirm.isPending} onClick={() => confirm.mutate()}>
      {t("stillThere")}
    </Button>
  );
}

/** Copies or shares the page's address (a phone's share sheet where there is one). */
function ShareButton({ title }: { title: string }) {
  const { t } = useI18n();
  const share = async () => {
    const url = window.location.href;
    if (navigator.share) await navigator.share({ title, url }).catch(() => {});
    else await navigator.clipboard?.writeText(url).catch(() => {});
  };
  return (
    <Button variant="secondary" onClick={share}>
      {t("shareReport")}
    </Button>
  );
}

export function PublicReportView({ id }: { id: string }) {
  const { t, formatDate } = useI18n();
  const label = useWasteLabel();
  const report = useQuery({ queryKey: publicKeys.report(id), queryFn: () => fetchPublicReport(id), retry: false });
  if (report.isLoading) return <p className="p-6">{t("loading")}</p>;
  if (report.error || !report.data) {
    const missing = report.error instanceof ApiError && report.error.status === 404;
    return (
      <div className="mx-auto max-w-xl p-6">
        <h1 className="text-2xl font-bold">{missing ? t("reportMissing") : t("actionFailed")}</h1>
        <p className="mt-2">
          <Link className="text-green-800 underline" to="/map">
            {t("openFullMap")}
          </Link>
        </p>
      </div>
    );
  }
  const r = report.data;
  const title = `${label(r.wasteType)} — ${t(statusKeys[r.status])}`;
  const place = [r.location.address, r.location.city].filter((p, i, all) => p && all.indexOf(p) === i).join(", ");
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4 px-4 py-6">
      <h1 className="text-2xl font-bold">
        {label(r.wasteType)} <StatusBadge status={r.status} />
      </h1>
      <p className="break-words text-slate-700">{place}</p>
      <div className="flex flex-wrap gap-2">
        <FollowButton id={r.id} />
        {["submitted", "acknowledged", "dispatched", "in_progress"].includes(r.status) && <StillThereButton id={r.id} />}
        <ShareButton title={title} />
        <a className="inline-flex min-h-11 items-center text-green-800 underline" href={`/feeds/reports/${r.id}.atom`}>
          {t("reportFeed")}
        </a>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        {r.imageUrl ? (
          <figure>
            <img src={r.imageUrl} alt={t("reportPhoto")} className="w-full rounded object-cover" />
            <figcaption className="mt-1 text-sm text-slate-700">{t("reportPhoto")}</figcaption>
          </figure>
        ) : (
          <p className="rounded bg-slate-100 p-4 text-sm text-slate-700">{r.photoHidden ? t("photoHiddenPublic") : t("photoAfterReview")}</p>
        )}
        {r.verificationImageUrl && (
          <figure>
            <img src={r.verificationImageUrl} alt={t("afterPhotoCaption")} className="w-full rounded object-cover" />
            <figcaption className="mt-1 text-sm font-semibold text-green-900">{t("afterPhotoCaption")}</figcaption>
          </figure>
        )}
      </div>
      <Card>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-medium">{t("howMuch")}</dt>
          <dd>{t(sizeKey(r.size))}</dd>
          {r.blocksDrain && (
            <>
              <dt className="font-medium">{t("drainTitle")}</dt>
              <dd>{t("drainBlocked")}</dd>
            </>
          )}
          {r.description && (
            <>
              <dt className="font-medium">{t("descriptionTitle")}</dt>
              <dd className="break-words">{r.description}</dd>
            </>
          )}
          {r.confirmations > 0 && (
            <>
              <dt className="font-medium">{t("confirmationsTitle")}</dt>
              <dd>{t("confirmationsCount", { n: r.confirmations })}</dd>
            </>
          )}
        </dl>
        <h2 className="mt-4 font-semibold">{t("timelineTitle")}</h2>
        <ol className="mt-2 border-s-2 border-green-700 ps-4">
          {r.timeline.map((step) => (
            <li key={`${step.status}-${step.at}`} className="mb-2">
              <span className="font-medium">{t(statusKeys[step.status])}</span>{" "}
              <time className="text-sm text-slate-700" dateTime={step.at}>
                {formatDate(step.at)}
              </time>
            </li>
          ))}
        </ol>
      </Card>
      <Suspense fallback={<div className="h-56 rounded bg-slate-200" />}>
        <MapView
          center={[r.location.lat, r.location.lng]}
          zoom={16}
          markers={[{ id: r.id, lat: r.location.lat, lng: r.location.lng, colour: r.status === "resolved" ? "#15803d" : "#b45309", label: title }]}
          label={t("reportMapLabel")}
          className="h-56"
        />
      </Suspense>
    </div>
  );
}
