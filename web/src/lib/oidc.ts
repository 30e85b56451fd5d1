// SPDX-License-Identifier: AGPL-3.0-or-later
// "Sign in with …": the providers the city configured, and the words for what went wrong
// (the server's callback sends ?oidcError=<code>).
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import type { MessageKey } from "@/lib/i18n";

export interface Provider {
  id: string;
  name: string;
}

export function useProviders() {
  return useQuery({
    queryKey: ["auth", "oidc-providers"],
    queryFn: async () => (await api<{ providers: Provider[] }>("/api/auth/oidc/providers")).providers,
    staleTime: 10 * 60 * 1000,
  });
}

const errorKeys: Record<string, MessageKey> = {
  expired: "oidcErrorExpired",
  state: "oidcErrorExpired",
  denied: "oidcErrorDenied",
  unavailable: "oidcErrorUnavailable",
  provider: "oidcErrorProvider",
  token: "oidcErrorProvider",
  "account-exists": "oidcErrorAccountExists",
  "email-unverified": "oidcErrorEmailUnverified",
  "no-email": "oidcErrorNoEmail",
  "admin-provider": "oidcErrorAdminProvider",
  "identity-taken": "oidcErrorIdentityTaken",
  inactive: "oidcErrorInactive",
};

export function oidcErrorKey(code: string): MessageKey {
  return errorKeys[code] ?? "oidcErrorFailed";
}

// Where the provider's sign-in page is; the app comes back to the login page, which
// sends the now signed-in user on to their page.
export function startUrl(provider: string): string {
  return `/api/auth/oidc/${encodeURIComponent(provider)}/start?returnTo=${encodeURIComponent("/login?oidc=done")}`;
}
