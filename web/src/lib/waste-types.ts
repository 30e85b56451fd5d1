// SPDX-License-Identifier: AGPL-3.0-or-later
// The waste types (the server's fixed list), shared by every feature that names one.
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { queryKeys } from "@/lib/query-keys";
import type { WasteType } from "@/lib/types";

export const fetchWasteTypes = () => api<{ items: WasteType[]; sizes: string[] }>("/api/waste-types");

/** The list, cached for an hour: it changes only with a new server version. */
export function useWasteTypes() {
  return useQuery({ queryKey: queryKeys.wasteTypes, queryFn: fetchWasteTypes, staleTime: 3_600_000 });
}

/** The name of a waste type code in the user's language (the code until the list loads). */
export function useWasteLabel(): (code: string) => string {
  const { lang } = useI18n();
  const types = useWasteTypes();
  return (code) => {
    const t = types.data?.items.find((w) => w.code === code);
    return t ? (lang === "ur" ? t.labelUr : t.label) : code;
  };
}
