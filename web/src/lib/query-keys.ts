// SPDX-License-Identifier: AGPL-3.0-or-later
// The query keys more than one feature reads or invalidates (live events refresh them).
// A feature's own keys stay in its api.ts.
export const queryKeys = {
  wasteTypes: ["waste-types"] as const,
  reports: ["reports"] as const,
  fleet: ["fleet"] as const,
  alerts: ["alerts"] as const,
  ai: ["ai"] as const,
  flood: ["flood"] as const,
};
