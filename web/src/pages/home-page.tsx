// SPDX-License-Identifier: AGPL-3.0-or-later
import { lazy, Suspense } from "react";
import { Link } from "react-router-dom";
import { useAuth } from "@/lib/auth";
import { useI18n, type MessageKey } from "@/lib/i18n";
import { Card } from "@/components/ui";
import { useImpact } from "@/features/analytics/use-impact";

// The map is its own chunk: the start page paints its words first.
const PublicMap = lazy(() => import("@/features/public/public-map").then((m) => ({ default: m.PublicMap })));

const steps: [MessageKey, MessageKey][] = [
  ["step1Title", "step1Text"],
  ["step2Title", "step2Text"],
  ["step3Title", "step3Text"],
  ["step4Title", "step4Text"],
];

function ImpactFigures() {
  const { t, lang } = useI18n();
  const impact = useImpact();
  const number = (n: number) => new Intl.NumberFormat(lang === "ur" ? "ur-PK" : "en-GB").format(n);
  if (impact.isError) return <p role="alert">{t("impactFailed")}</p>;
  const d = impact.data;
  const figures: [string, string][] = [
    [t("impactFiled"), d ? number(d.reportsFiled) : "…"],
    [t("impactResolved"), d ? number(d.reportsResolved) : "…"],
    [t("impactHours"), d ? (d.averageHoursToResolve === null ? t("impactNone") : t("hours", { n: number(d.averageHoursToResolve) })) : "…"],
  ];
  return (
    <dl className="grid gap-4 sm:grid-cols-3">
      {figures.map(([label, value]) => (
        <div key={label} className="rounded bg-green-50 p-3">
          <dt className="text-sm text-slate-700">{label}</dt>
          <dd className="text-3xl font-bold text-green-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function HomePage() {
  const { user } = useAuth();
  const { t } = useI18n();
  const start = user?.role === "admin" ? "/dashboard" : user ? "/user-dashboard" : "/login";
  return (
    <div className="mx-auto max-w-6xl px-4">
      <section className="py-12">
        <h1 className="text-4xl font-bold text-green-900">{t("heroTitle")}</h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-700">{t("heroText")}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link to={start} className="inline-block rounded-md bg-green-700 px-5 py-3 font-semibold text-white hover:bg-green-800">
            {user ? t("heroOpen") : t("heroSignIn")}
          </Link>
          <Link to="/map" className="inline-block rounded-md border border-green-700 px-5 py-3 font-semibold text-green-900 hover:bg-green-50">
            {t("heroSeeMap")}
          </Link>
        </div>
      </section>
      <section aria-labelledby="home-map" className="py-6">
        <h2 id="home-map" className="mb-3 text-2xl font-bold">
          {t("homeMapTitle")}
        </h2>
        <Suspense fallback={<div className="h-72 rounded bg-slate-200" />}>
          <PublicMap compact />
        </Suspense>
      </section>
      <section aria-labelledby="problem" className="py-6">
        <h2 id="problem" className="text-2xl font-bold">
          {t("problemTitle")}
        </h2>
        <p className="mt-2 max-w-3xl text-slate-700">{t("problemText")}</p>
      </section>
      <section aria-labelledby="features" className="py-6">
        <h2 id="features" className="text-2xl font-bold">
          {t("featuresTitle")}
        </h2>
        <ul className="mt-3 grid gap-3 md:grid-cols-2">
          {(["feature1", "feature2", "feature3", "feature4"] as const).map((k) => (
            <li key={k} className="rounded-lg border border-slate-200 bg-white p-4">
              {t(k)}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="how" className="grid gap-4 py-6 md:grid-cols-4">
        <h2 id="how" className="sr-only">
          {t("howItWorks")}
        </h2>
        {steps.map(([title, text], i) => (
          <Card key={title}>
            <p className="text-sm font-semibold text-green-800">{t("step", { n: i + 1 })}</p>
            <h3 className="text-lg font-semibold">{t(title)}</h3>
            <p className="text-slate-700">{t(text)}</p>
          </Card>
        ))}
      </section>
      <Card title={t("impact")}>
        <ImpactFigures />
      </Card>
      <section aria-labelledby="cities" className="py-6">
        <h2 id="cities" className="text-2xl font-bold">
          {t("citiesTitle")}
        </h2>
        <p className="mt-2 max-w-3xl text-slate-700">{t("citiesText")}</p>
      </section>
    </div>
  );
}
