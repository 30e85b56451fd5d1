// SPDX-License-Identifier: AGPL-3.0-or-later
// "Show it on the map": any card can ask the page's map to go to a place. A tiny store, so
// the alerts card and the map need not know each other.
import { useSyncExternalStore } from "react";

export interface MapFocus {
  lat: number;
  lng: number;
  zoom: number;
  seq: number; // a new request, even for the same place
}

let current: MapFocus | null = null;
const listeners = new Set<() => void>();

export function focusMap(lat: number, lng: number, zoom = 16) {
  current = { lat, lng, zoom, seq: (current?.seq ?? 0) + 1 };
  listeners.forEach((l) => l());
}

export function useMapFocus(): MapFocus | null {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => current,
  );
}
