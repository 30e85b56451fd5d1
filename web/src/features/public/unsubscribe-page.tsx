// SPDX-License-Identifier: AGPL-3.0-or-later
// The one-click stop of an area alert message: the token in the link, no sign-in. The
// page asks before it acts, so a mail scanner that follows links stops nothing.
import { Link, useSearchParams } from "react-router-dom";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { unsubscribeArea } from "./api";

export default function UnsubscribePage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const stop = useMutation({ mutationFn: () => unsubscribeArea(token) });
  return (
    <div className="mx-auto max-w-xl p-6">
      <h1 className="text-2xl font-bold">{t("stopAreaTitle")}</h1>
      {stop.isSuccess ? (
        <p role="status" className="mt-3">
          {t("stopAreaDone")}
        </p>
      ) : (
        <>
          <p className="mt-3">{t("stopAreaText")}</p>
          <Button className="mt-4" disabled={!token || stop.isPending} onClick={() => stop.mutate()}>
            {t("stopAreaButton")}
          </Button>
        </>
      )}
      {stop.error && (
        <p role="alert" className="mt-3 text-rose-800">
          {stop.error instanceof ApiError && stop.error.status === 404 ? t("stopAreaGone") : t("actionFailed")}
        </p>
      )}
      <p className="mt-6">
        <Link className="text-green-800 underline" to="/">
          {t("backHome")}
        </Link>
      </p>
    </div>
  );
}
