// SPDX-License-Identifier: AGPL-3.0-or-later
// One report, for its reporter, its followers and admins (GET /api/reports/:id): the photo
// and, once cleaned, the after photo; where it is by name; what became of it and why; a
// merged report leads to the one it joined. Notification links open this page.
import type { ReactNode } from "react";
import { Link, useParams } from "react-router-dom";
import { useQuery } from "@tanstack/react-query";
import { ReportImage } from "@/components/report-image";
import { Card, StatusBadge } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { priorityKeys, sizeKey, timeAgo } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import { useLiveEvents } from "@/lib/live-events";
import type { Report } from "@/lib/types";
import { useWasteLabel } from "@/lib/waste-types";
import { fetchReport, keys } from "./api";
import { ReportTimeline } from "./report-timeline";

/**
 * One report's page; `actions` are what the page adds for the reader (an admin's),
 * `extras` what every reader may do (follow it), `missing` what shows when it is not
 * the reader's to see in full (its public view).
 */
export function ReportView({
  actions,
  extras,
  missing: whenMissing,
}: {
  actions?: (r: Report) => ReactNode;
  extras?: (r: Report) => ReactNode;
  missing?: ReactNode;
}) {
  const { id = "" } = useParams();
  const { t, formatDate } = useI18n();
  const label = useWasteLabel();
  const report = useQuery({ queryKey: keys.report(id), queryFn: () => fetchReport(id), retry: false });
  // Its news arrives live: the page refreshes on any event about it.
  useLiveEvents(true, () => report.refetch());
  if (report.isLoading) return <p className="p-6">{t("loading")}</p>;
  if (report.error || !report.data) {
    const missing = report.error instanceof ApiError && report.error.status === 404;
    if (missing && whenMissing) return <>{whenMissing}</>;
    return (
      <div className="mx-auto max-w-xl p-6">
        <h1 className="text-2xl font-bold">{missing ? t("reportMissing") : t("actionFailed")}</h1>
        <p className="mt-2">
          <Link className="text-green-800 underline" to="/">
            {t("backHome")}
          </Link>
        </p>
      </div>
    );
  }
  const r = report.data;
  const place = [r.location.address, r.location.city].filter((p, i, all) => p && all.indexOf(p) === i).join(", ");
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4 px-4 py-6">
      <h1 className="text-2xl font-bold">
        {label(r.wasteType)} <StatusBadge status={r.status} />
      </h1>
      <p className="break-words text-slate-700">{place}</p>
      {r.photoHidden && (
        <p role="status" className="rounded bg-amber-50 p-3 text-sm">
          {t("photoHiddenNotice")}
        </p>
      )}
      {extras?.(r)}
      {actions?.(r)}
      {r.status === "duplicate" && r.duplicateOf && (
        <p role="status" className="rounded bg-sky-50 p-3 text-sm">
          {t("mergedInto")}{" "}
          <Link className="text-green-800 underline" to={`/reports/${r.duplicateOf}`}>
            {t("openOriginal")}
          </Link>
        </p>
      )}
      {r.rejectionReason && (
        <p role="status" className="rounded bg-rose-50 p-3 text-sm">
          {t("reasonLabel", { reason: r.rejectionReason })}
        </p>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <figure>
          <ReportImage src={r.imageUrl} hidden={!!r.photoHidden} alt={t("reportPhoto")} className="w-full rounded object-cover" />
          <figcaption className="mt-1 text-sm text-slate-700">
            {t("reportPhoto")} · {timeAgo(r.createdAt, t, formatDate)}
          </figcaption>
        </figure>
        {r.verificationImageUrl && (
          <figure>
            <ReportImage
              src={r.verificationImageUrl}
              hidden={!!r.photoHidden}
              alt={t("afterPhotoCaption")}
              className="w-full rounded object-cover"
            />
            <figcaption className="mt-1 text-sm font-semibold text-green-900">{t("afterPhotoCaption")}</figcaption>
          </figure>
        )}
      </div>
      <Card>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-medium">{t("howMuch")}</dt>
          <dd>{t(sizeKey(r.size))}</dd>
          <dt className="font-medium">{t("priorityTitle")}</dt>
          <dd>{t(priorityKeys[r.priority] ?? "priorityMedium")}</dd>
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
        </dl>
        <div className="mt-3">
          <ReportTimeline reportId={r.id} initiallyOpen />
        </div>
      </Card>
    </div>
  );
}
