// SPDX-License-Identifier: AGPL-3.0-or-later
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";

export interface Impact {
  reportsFiled: number;
  reportsResolved: number;
  reportsOpen: number;
  averageHoursToResolve: number | null;
}

/** The public impact figures (GET /api/analytics/impact; the server caches them 5 s). */
export function useImpact(refetchInterval?: number) {
  return useQuery({
    queryKey: ["impact"],
    queryFn: () => api<Impact>("/api/analytics/impact"),
    refetchInterval,
  });
}
