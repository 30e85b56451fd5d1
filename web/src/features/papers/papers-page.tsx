import { Card, NotBuiltYet } from "@/components/ui";
import { useI18n } from "@/lib/i18n";

// The papers API belongs to the intelligence issue; until it exists the page says so.
export default function PapersPage() {
  const { t } = useI18n();
  return (
    <div className="mx-auto max-w-3xl px-4 py-6">
      <h1 className="text-2xl font-bold">{t("papersTitle")}</h1>
      <p className="mt-2 text-slate-700">{t("papersIntro")}</p>
      <Card className="mt-4">
        <NotBuiltYet what={t("papersWhat")} />
      </Card>
    </div>
  );
}
