// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from "vitest";
import type { Report, Vehicle } from "@/lib/types";
import { rankTrucks } from "./rank-trucks";

const report = { location: { lat: 24.86, lng: 67.0 } } as Report;
const truck = (id: string, extra: Partial<Vehicle>): Vehicle => ({
  id,
  vehicleNumber: id,
  driverName: "D",
  status: "idle",
  capacity: 10,
  currentLoad: 0,
  currentLat: 24.87,
  currentLng: 67.01,
  ...extra,
});

describe("rankTrucks", () => {
  it("puts near trucks with a driver and room first, and marks the others", () => {
    const ranked = rankTrucks(report, [
      truck("lahore", { currentLat: 31.52, currentLng: 74.35 }),
      truck("nodriver", { driverName: null }),
      truck("full", { currentLoad: 10 }),
      truck("far-off-duty", { status: "offline" }),
      truck("near", { currentLat: 24.861, currentLng: 67.001 }),
      truck("karachi", {}),
    ]);
    expect(ranked.map((c) => c.vehicle.id)).toEqual(["near", "karachi", "full", "nodriver", "lahore"]);
    expect(ranked.find((c) => c.vehicle.id === "lahore")!.far).toBe(true);
    expect(ranked.find((c) => c.vehicle.id === "nodriver")!.noDriver).toBe(true);
    expect(ranked[0].needsOverride).toBe(false);
  });
});
