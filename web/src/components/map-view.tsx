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
}

function popupContent(lines: string[]): HTMLElement {
  // DOM nodes, not HTML strings: report text is user input.
  const box = document.createElement("div");
  for (const line of lines) {
    const p = document.createElement("p");
    p.textContent = line;
    box.appendChild(p);
  }
  return box;
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
}: MapViewProps) {
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
    markerLayer.current = L.layerGroup().addTo(m);
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
          if (mk.details) dot.bindPopup(popupContent(mk.details));
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

  return <div ref={box} role="application" aria-label={label} className={`w-full rounded border border-slate-300 bg-slate-200 ${className}`} />;
}
