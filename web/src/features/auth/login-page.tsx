// SPDX-License-Identifier: AGPL-3.0-or-later
import { useEffect, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { Button, Card, Field, Input } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { useAuth } from "@/lib/auth";
import { useI18n } from "@/lib/i18n";
import { oidcErrorKey, startUrl, useProviders } from "@/lib/oidc";
import type { User } from "@/lib/types";

function homeOf(user: User): string {
  return user.role === "admin" ? "/dashboard" : user.role === "citizen" ? "/user-dashboard" : "/driver";
}

export function LoginPage() {
  const { login, register, user } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const providers = useProviders();
  const oidcError = params.get("oidcError");
  // Back from a provider, signed in (the session was restored from its cookie): go on.
  const backFromProvider = params.get("oidc") === "done";
  useEffect(() => {
    if (backFromProvider && user) navigate(homeOf(user), { replace: true });
  }, [backFromProvider, user, navigate]);
  const [mode, setMode] = useState<"login" | "register">("login");
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError("");
    setFields({});
    try {
      const user = mode === "login" ? await login(username, password) : await register(username, email, password);
      navigate(homeOf(user));
    } catch (err) {
      if (err instanceof ApiError) {
        setError(err.detail);
        setFields(err.fields);
      } else {
        setError(t("noServer"));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mx-auto max-w-md px-4 py-10">
      <h1 className="text-2xl font-bold text-green-900">{t("loginHeading")}</h1>
      <p className="mb-4 mt-2 text-base text-slate-700">{t("loginIntro")}</p>
      {oidcError && (
        <p role="alert" className="mb-4 rounded bg-rose-50 p-3 text-sm text-rose-800">
          {t(oidcErrorKey(oidcError))}
        </p>
      )}
      {mode === "login" && (providers.data ?? []).length > 0 && (
        <div className="mb-4 flex flex-col gap-2">
          {providers.data!.map((p) => (
            <a
              key={p.id}
              href={startUrl(p.id)}
              className="flex min-h-11 items-center justify-center rounded border border-slate-300 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-50"
            >
              {t("signInWith", { name: p.name })}
            </a>
          ))}
          <p className="text-center text-sm text-slate-700">{t("orWithPassword")}</p>
        </div>
      )}
      <Card title={mode === "login" ? t("signIn") : t("createAccount")}>
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
          <Field id="username" label={mode === "login" ? t("usernameOrEmail") : t("username")} error={fields.username}>
            <Input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
          </Field>
          {mode === "register" && (
            <Field id="email" label={t("email")} error={fields.email}>
              <Input id="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
            </Field>
          )}
          <Field id="password" label={t("password")} error={fields.password}>
            <Input
              id="password"
              type="password"
              autoComplete={mode === "login" ? "current-password" : "new-password"}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </Field>
          {error && (
            <p role="alert" className="rounded bg-rose-50 p-2 text-sm text-rose-800">
              {error}
            </p>
          )}
          <Button type="submit" disabled={busy}>
            {mode === "login" ? t("signIn") : t("createAccountButton")}
          </Button>
          <button
            type="button"
            className="text-sm text-green-800 underline"
            onClick={() => setMode(mode === "login" ? "register" : "login")}
          >
            {mode === "login" ? t("newHere") : t("haveAccount")}
          </button>
        </form>
      </Card>
    </div>
  );
}
