// SPDX-License-Identifier: AGPL-3.0-or-later
// A Leaflet map (its own chunk). Tiles come from the server's configuration; without a
// network the tiles fail quietly and markers, the pin and clicks still work on the plain
// background.
import { useEffect, useRef } from "react";
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { clusterByGrid } from "@/lib/cluster";

export interface MapMarker {
  id: string;
  lat: number;
  lng: number;
  colour: string;
  label: string;
  details?: string[];  // lines shown in a popup on click (plain text)
  photo?: string; // a thumbnail shown at the top of the popup
  link?: { href: string; text: string }; // the next thing to do about it
}

function popupContent(mk: MapMarker): HTMLElement {
  // DOM nodes, not HTML strings: report text is user input.
  const box = document.createElement("div");
  box.className = "map-popup";
  if (mk.photo) {
    const img = document.createElement("img");
    img.src = mk.photo;
    img.alt = "";
    img.width = 160;
    box.appendChild(img);
  }
  for (const line of mk.details ?? []) {
    const p = document.createElement("p");
    p.textContent = line;
    box.appendChild(p);
  }
  if (mk.link) {
    const a = document.createElement("a");
    a.href = mk.link.href;
    a.textContent = mk.link.text;
    box.appendChild(a);
  }
  return box;
}

export interface HeatLayer {
  cells: { lat: number; lng: number; count: number }[];
  cellDegrees: number;
  max: number;
  label: (n: number) => string;
}

export interface MapArea {
  id: string;
  lat: number;
  lng: number;
  radiusM: number;
  colour: string;
  label: string;
}

// Light yellow for one report up to deep red for the busiest cell.
function heatColour(f: number): string {
  const hue = Math.round(50 - 50 * f);
  return `hsl(${hue}, 95%, ${Math.round(60 - 20 * f)}%)`;
}

export interface MapVehicle {
  id: string;
  lat: number;
  lng: number;
  number: string;
  label: string;
  stale: boolean;
}

interface MapViewProps {
  center: [number, number];
  zoom?: number;
  markers?: MapMarker[];
  pin?: [number, number] | null;
  onPinMove?: (lat: number, lng: number) => void;
  label: string;
  className?: string;
  cluster?: boolean;
  clusterLabel?: (n: number) => string;
  heat?: HeatLayer | null;
  areas?: MapArea[];
  vehicles?: MapVehicle[];
  /** Called with "minLng,minLat,maxLng,maxLat" and the zoom after each pan or zoom. */
  onViewChange?: (bbox: string, zoom: number) => void;
  /** Where to go now (a new `seq` moves the map again), scrolling the map into view. */
  focus?: { lat: number; lng: number; zoom: number; seq: number } | null;
  /** Points the first view should show all of (instead of `center`), once they are known. */
  fitTo?: [number, number][];
  /** A route drawn in order (a driver's stops). */
  line?: [number, number][];
  /** Several routes, each in its colour (a fleet plan). */
  lines?: { points: [number, number][]; colour: string; label: string }[];
  /** The user's own position (a blue dot). */
  self?: [number, number] | null;
  selfLabel?: string;
  /** Counts the server made per grid cell when too many points are in view: a click zooms in. */
  bubbles?: { lat: number; lng: number; count: number }[];
}

interface ClientConfig {
  mapTileUrl: string;
  mapAttribution: string;
}

export default function MapView({
  center,
  zoom = 13,
  markers = [],
  pin,
  onPinMove,
  label,
  className = "h-72",
  cluster = false,
  clusterLabel = (n) => `${n}`,
  heat = null,
  areas = [],
  vehicles = [],
  onViewChange,
  focus = null,
  fitTo = [],
  line = [],
  lines = [],
  self = null,
  selfLabel = "",
  bubbles = [],
}: MapViewProps) {
  const vehicleLayer = useRef<L.LayerGroup | null>(null);
  const heatLayer = useRef<L.LayerGroup | null>(null);
  const areaLayer = useRef<L.LayerGroup | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const markerLayer = useRef<L.LayerGroup | null>(null);
  const pinMarker = useRef<L.Marker | null>(null);
  const config = useQuery({
    queryKey: ["client-config"],
    queryFn: () => api<ClientConfig>("/api/client-config"),
    staleTime: Infinity,
  });

  useEffect(() => {
    if (!box.current || map.current || !config.data) return;
    const m = L.map(box.current, { center, zoom });
    L.tileLayer(config.data.mapTileUrl, { attribution: config.data.mapAttribution, maxZoom: 19 }).addTo(m);
    heatLayer.current = L.layerGroup().addTo(m);
    areaLayer.current = L.layerGroup().addTo(m);
    markerLayer.current = L.layerGroup().addTo(m);
    vehicleLayer.current = L.layerGroup().addTo(m);
    if (onPinMove) m.on("click", (e: L.LeafletMouseEvent) => onPinMove(e.latlng.lat, e.latlng.lng));
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
    // created once; later prop changes are applied by the effects below
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [config.data]);

  useEffect(() => {
    const m = map.current;
    const layer = markerLayer.current;
    if (!m || !layer) return;
    const draw = () => {
      layer.clearLayers();
      const points = markers.map((mk) => ({ mk, ...m.latLngToLayerPoint([mk.lat, mk.lng]) }));
      const groups = cluster ? clusterByGrid(points, 48) : points.map((p) => [p]);
      for (const group of groups) {
        if (group.length === 1) {
          const mk = group[0].mk;
          const dot = L.circleMarker([mk.lat, mk.lng], {
            radius: 8,
            color: "#fff",
            weight: 2,
            fillColor: mk.colour,
            fillOpacity: 0.9,
          }).bindTooltip(mk.label);
          if (mk.details || mk.photo) dot.bindPopup(() => popupContent(mk));
          dot.addTo(layer);
        } else {
          const lat = group.reduce((s, p) => s + p.mk.lat, 0) / group.length;
          const lng = group.reduce((s, p) => s + p.mk.lng, 0) / group.length;
          L.marker([lat, lng], {
            icon: L.divIcon({ className: "map-cluster", html: String(group.length), iconSize: [34, 34] }),
            title: clusterLabel(group.length),
            keyboard: true,
          })
            .on("click", () => m.setView([lat, lng], Math.min(m.getZoom() + 2, 19)))
            .addTo(layer);
        }
      }
    };
    draw();
    m.on("zoomend", draw);
    return () => {
      m.off("zoomend", draw);
    };
  }, [markers, config.data, cluster, clusterLabel]);

  const bubbleLayer = useRef<L.LayerGroup | null>(null);
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!bubbleLayer.current) bubbleLayer.current = L.layerGroup().addTo(m);
    bubbleLayer.current.clearLayers();
    for (const b of bubbles) {
      // Wider for bigger counts, so a busy district reads as busy from afar.
      const size = Math.round(30 + Math.min(26, Math.log10(Math.max(1, b.count)) * 9));
      L.marker([b.lat, b.lng], {
        icon: L.divIcon({ className: "map-cluster", html: String(b.count), iconSize: [size, size] }),
        title: clusterLabel(b.count),
        keyboard: true,
      })
        .on("click", () => m.setView([b.lat, b.lng], Math.min(m.getZoom() + 2, 19)))
        .addTo(bubbleLayer.current);
    }
  }, [bubbles, clusterLabel, config.data]);

  useEffect(() => {
    const layer = heatLayer.current;
    if (!layer) return;
    layer.clearLayers();
    if (!heat) return;
    const half = heat.cellDegrees / 2;
    for (const c of heat.cells) {
      const f = heat.max > 1 ? Math.log(c.count) / Math.log(heat.max) : 1;
      L.rectangle(
        [
          [c.lat - half, c.lng - half],
          [c.lat + half, c.lng + half],
        ],
        { stroke: false, fillColor: heatColour(f), fillOpacity: 0.35 + 0.4 * f, interactive: true },
      )
        .bindTooltip(heat.label(c.count))
        .addTo(layer);
    }
  }, [heat, config.data]);

  useEffect(() => {
    const layer = areaLayer.current;
    if (!layer) return;
    layer.clearLayers();
    for (const a of areas) {
      L.circle([a.lat, a.lng], { radius: a.radiusM, color: a.colour, weight: 2, fillColor: a.colour, fillOpacity: 0.2 })
        .bindTooltip(a.label)
        .addTo(layer);
    }
  }, [areas, config.data]);

  useEffect(() => {
    const layer = vehicleLayer.current;
    if (!layer) return;
    layer.clearLayers();
    for (const v of vehicles) {
      const tag = document.createElement("span");
      tag.textContent = v.number;  // a text node: never markup
      L.marker([v.lat, v.lng], {
        icon: L.divIcon({ className: `map-truck${v.stale ? " map-truck-stale" : ""}`, html: tag, iconSize: [64, 20] }),
        title: v.label,
        keyboard: true,
        zIndexOffset: -1000, // under the reports and clusters: a tag must not hide a count
      }).addTo(layer);
    }
  }, [vehicles, config.data]);

  useEffect(() => {
    const m = map.current;
    if (!m || !onViewChange) return;
    const report = () => {
      const b = m.getBounds();
      const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v)).toFixed(3);
      onViewChange(
        [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].join(","),
        Math.round(m.getZoom()),
      );
    };
    report();
    m.on("moveend", report);
    return () => {
      m.off("moveend", report);
    };
  }, [onViewChange, config.data]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!pin) {
      pinMarker.current?.remove();
      pinMarker.current = null;
      return;
    }
    if (!pinMarker.current) {
      pinMarker.current = L.marker(pin, {
        draggable: true,
        icon: L.divIcon({ className: "map-pin", iconSize: [20, 20] }),
        keyboard: true,
        title: label,
      }).addTo(m);
      pinMarker.current.on("dragend", () => {
        const p = pinMarker.current!.getLatLng();
        onPinMove?.(p.lat, p.lng);
      });
      m.setView(pin, Math.max(m.getZoom(), 16));
    } else {
      pinMarker.current.setLatLng(pin);
    }
  }, [pin, label, onPinMove, config.data]);

  useEffect(() => {
    const m = map.current;
    if (!m || !focus) return;
    m.setView([focus.lat, focus.lng], focus.zoom);
    box.current?.scrollIntoView({ behavior: "smooth", block: "center" });
  }, [focus, config.data]);

  const lineLayer = useRef<L.LayerGroup | null>(null);
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!lineLayer.current) lineLayer.current = L.layerGroup().addTo(m);
    lineLayer.current.clearLayers();
    if (line.length > 1) {
      L.polyline(line, { color: "#1d4ed8", weight: 4, opacity: 0.8, dashArray: "8 6" }).addTo(lineLayer.current);
    }
    for (const l of lines) {
      if (l.points.length > 1) {
        L.polyline(l.points, { color: l.colour, weight: 4, opacity: 0.85 }).bindTooltip(l.label).addTo(lineLayer.current);
      }
    }
    if (self) {
      L.circleMarker(self, { radius: 9, color: "#fff", weight: 3, fillColor: "#2563eb", fillOpacity: 1 })
        .bindTooltip(selfLabel)
        .addTo(lineLayer.current);
    }
  }, [line, lines, self, selfLabel, config.data]);

  // The first view shows every point that matters; later data does not move the map.
  const fitted = useRef(false);
  useEffect(() => {
    const m = map.current;
    if (!m || fitted.current || fitTo.length === 0) return;
    fitted.current = true;
    if (fitTo.length === 1) m.setView(fitTo[0], 15);
    else m.fitBounds(L.latLngBounds(fitTo), { padding: [24, 24], maxZoom: 15 });
  }, [fitTo, config.data]);

  return <div ref={box} role="application" aria-label={label} className={`w-full rounded border border-slate-300 bg-slate-200 ${className}`} />;
}
