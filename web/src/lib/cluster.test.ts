// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from "vitest";
import { clusterByGrid } from "./cluster";

describe("clusterByGrid", () => {
  it("groups points in the same cell and keeps distant ones apart", () => {
    const pts = [
      { x: 1, y: 1 },
      { x: 10, y: 20 },
      { x: 100, y: 100 },
      { x: 47, y: 47 },
    ];
    const groups = clusterByGrid(pts, 48).map((g) => g.length).sort();
    expect(groups).toEqual([1, 3]);
  });
  it("returns nothing for nothing", () => {
    expect(clusterByGrid([], 48)).toEqual([]);
  });
});
