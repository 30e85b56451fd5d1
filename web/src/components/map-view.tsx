// A Leaflet map (its own chunk). Tiles come from the server's configuration; without a
// network the tiles fail quietly and markers, the pin and clicks still work on the plain
// background.
import { useEffect, useRef } from "react";
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";

export interface MapMarker {
  id: string;
  lat: number;
  lng: number;
  colour: string;
  label: string;
}

interface MapViewProps {
  center: [number, number];
  zoom?: number;
  markers?: MapMarker[];
  pin?: [number, number] | null;
  onPinMove?: (lat: number, lng: number) => void;
  label: string;
  className?: string;
}

interface ClientConfig {
  mapTileUrl: string;
  mapAttribution: string;
}

export default function MapView({ center, zoom = 13, markers = [], pin, onPinMove, label, className = "h-72" }: MapViewProps) {
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
    const layer = markerLayer.current;
    if (!layer) return;
    layer.clearLayers();
    for (const mk of markers) {
      L.circleMarker([mk.lat, mk.lng], { radius: 8, color: "#fff", weight: 2, fillColor: mk.colour, fillOpacity: 0.9 })
        .bindTooltip(mk.label)
        .addTo(layer);
    }
  }, [markers, config.data]);

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
