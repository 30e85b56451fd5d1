// SPDX-License-Identifier: AGPL-3.0-or-later
/** Groups points closer than `cell` pixels (same grid cell) — map marker clustering. */
export function clusterByGrid<T extends { x: number; y: number }>(points: T[], cell: number): T[][] {
  const groups = new Map<string, T[]>();
  for (const p of points) {
    const key = `${Math.floor(p.x / cell)}:${Math.floor(p.y / cell)}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  return [...groups.values()];
}
