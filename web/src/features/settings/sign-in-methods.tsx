// SPDX-License-Identifier: AGPL-3.0-or-later
// The identity providers linked to this account ("Sign in with …"): see, link, unlink.
// Linking sends the browser to the provider; it comes back here with ?linked= or
// ?oidcError=.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "react-router-dom";
import { Button, Card } from "@/components/ui";
import { api, ApiError } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { oidcErrorKey, useProviders } from "@/lib/oidc";

interface Identity {
  id: string;
  provider: string;
  email: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

export function SignInMethodsCard() {
  const { t } = useI18n();
  const providers = useProviders();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const identities = useQuery({
    queryKey: ["auth", "identities"],
    queryFn: () => api<{ identities: Identity[] }>("/api/auth/identities"),
  });
  const link = useMutation({
    mutationFn: (provider: string) => api<{ url: string }>(`/api/auth/oidc/${provider}/link`, { method: "POST" }),
    onSuccess: ({ url }) => window.location.assign(url),
  });
  const unlink = useMutation({
    mutationFn: (id: string) => api(`/api/auth/identities/${id}`, { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["auth", "identities"] }),
  });
  const list = providers.data ?? [];
  if (list.length === 0) return null;
  const name = (id: string) => list.find((p) => p.id === id)?.name ?? id;
  const linked = identities.data?.identities ?? [];
  const error = params.get("oidcError");
  const justLinked = params.get("linked");
  const failure = unlink.error ?? link.error;
  return (
    <Card className="mt-4">
      <h2 className="text-lg font-semibold">{t("signInMethodsTitle")}</h2>
      <p className="mt-1 text-sm text-slate-700">{t("signInMethodsIntro")}</p>
      {justLinked && <p role="status" className="mt-2 rounded bg-green-50 p-2 text-sm text-green-900">{t("oidcLinked", { name: name(justLinked) })}</p>}
      {error && <p role="alert" className="mt-2 rounded bg-rose-50 p-2 text-sm text-rose-800">{t(oidcErrorKey(error))}</p>}
      {failure && (
        <p role="alert" className="mt-2 rounded bg-rose-50 p-2 text-sm text-rose-800">
          {failure instanceof ApiError ? failure.detail : t("noServer")}
        </p>
      )}
      <ul className="mt-3 flex flex-col gap-2" aria-label={t("signInMethodsTitle")}>
        {linked.map((i) => (
          <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 rounded border border-slate-200 p-2">
            <span>
              <span className="font-medium">{name(i.provider)}</span>
              {i.email && <span className="text-sm text-slate-700"> · {i.email}</span>}
            </span>
            <Button variant="secondary" disabled={unlink.isPending} onClick={() => unlink.mutate(i.id)}>
              {t("oidcUnlink")}
            </Button>
          </li>
        ))}
      </ul>
      <div className="mt-3 flex flex-wrap gap-2">
        {list
          .filter((p) => !linked.some((i) => i.provider === p.id))
          .map((p) => (
            <Button key={p.id} variant="secondary" disabled={link.isPending} onClick={() => link.mutate(p.id)}>
              {t("oidcLink", { name: p.name })}
            </Button>
          ))}
      </div>
    </Card>
  );
}
