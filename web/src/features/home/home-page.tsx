import { Link } from "react-router-dom";
import { useAuth } from "@/lib/auth";
import { useI18n, type MessageKey } from "@/lib/i18n";
import { Card, NotBuiltYet } from "@/components/ui";

const steps: [MessageKey, MessageKey][] = [
  ["step1Title", "step1Text"],
  ["step2Title", "step2Text"],
  ["step3Title", "step3Text"],
  ["step4Title", "step4Text"],
];

export function HomePage() {
  const { user } = useAuth();
  const { t } = useI18n();
  const start = user?.role === "admin" ? "/dashboard" : user ? "/user-dashboard" : "/login";
  return (
    <div className="mx-auto max-w-6xl px-4">
      <section className="py-12">
        <h1 className="text-4xl font-bold text-green-900">{t("heroTitle")}</h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-700">{t("heroText")}</p>
        <Link
          to={start}
          className="mt-6 inline-block rounded-md bg-green-700 px-5 py-3 font-semibold text-white hover:bg-green-800"
        >
          {user ? t("heroOpen") : t("heroSignIn")}
        </Link>
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
        <NotBuiltYet what={t("impactWhat")} />
      </Card>
    </div>
  );
}
