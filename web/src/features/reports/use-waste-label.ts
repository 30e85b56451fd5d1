import { useQuery } from "@tanstack/react-query";
import { useI18n } from "@/lib/i18n";
import { fetchWasteTypes, keys } from "./api";

/** The name of a waste type code in the user's language (the code until the list loads). */
export function useWasteLabel(): (code: string) => string {
  const { lang } = useI18n();
  const types = useQuery({ queryKey: keys.wasteTypes, queryFn: fetchWasteTypes, staleTime: 3_600_000 });
  return (code) => {
    const t = types.data?.items.find((w) => w.code === code);
    return t ? (lang === "ur" ? t.labelUr : t.label) : code;
  };
}
