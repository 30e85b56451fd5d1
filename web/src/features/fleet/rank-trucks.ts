// SPDX-License-Identifier: AGPL-3.0-or-later
// Which truck to send: the ones with a driver, near the report and with room first. A truck
// without a driver, or more than FAR_METRES away (another city), is marked: sending it
// takes a deliberate override.
import { distanceMetres } from "@/lib/format";
import type { Report, Vehicle } from "@/lib/types";

export const FAR_METRES = 30_000;

export interface TruckChoice {
  vehicle: Vehicle;
  distanceM: number | null; // null: the truck has no position yet
  room: number;
  noDriver: boolean;
  far: boolean;
  needsOverride: boolean;
}

export function rankTrucks(report: Report, vehicles: Vehicle[]): TruckChoice[] {
  return vehicles
    .filter((v) => v.status === "idle" || v.status === "busy")
    .map((v) => {
      const distanceM =
        v.currentLat != null && v.currentLng != null
          ? distanceMetres({ lat: v.currentLat, lng: v.currentLng }, report.location)
          : null;
      const noDriver = !v.driverName && !v.driverId;
      const far = distanceM !== null && distanceM > FAR_METRES;
      return { vehicle: v, distanceM, room: v.capacity - v.currentLoad, noDriver, far, needsOverride: noDriver || far };
    })
    .sort(
      (a, b) =>
        Number(a.needsOverride) - Number(b.needsOverride) ||
        Number(a.room <= 0) - Number(b.room <= 0) ||
        (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity) ||
        b.room - a.room,
    );
}
