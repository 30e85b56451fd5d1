// SPDX-License-Identifier: AGPL-3.0-or-later
// The photo with the AI's boxes drawn over it (SVG in the photo's own fractions, so it
// scales with the image).
import { useState } from "react";
import type { Detection } from "./api";
import { useI18n } from "@/lib/i18n";
import { useWasteLabel } from "@/lib/waste-types";

export function DetectionOverlay({ src, alt, detections }: { src: string; alt: string; detections: Detection[] }) {
  const label = useWasteLabel();
  return (
    <figure className="relative inline-block max-w-full">
      <img src={src} alt={alt} className="block max-h-72 w-auto max-w-full rounded" />
      <svg className="pointer-events-none absolute inset-0 h-full w-full" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
        {detections.map((d, i) => (
          <rect key={i} x={d.x} y={d.y} width={d.w} height={d.h} fill="none" stroke={d.wasteType ? "#f59e0b" : "#94a3b8"} strokeWidth="0.006" />
        ))}
      </svg>
      <figcaption className="mt-1 text-xs text-slate-700">
        <ul aria-label="Detections">
          {detections.map((d, i) => (
            <li key={i}>
              {d.wasteType ? label(d.wasteType) : d.class} — {Math.round(d.confidence * 100)}%
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

// The admin's boxes over the photo: drag on the picture to draw one (pointer: mouse, pen
// or finger); each has a remove button in the list below, so the keyboard can edit too.
export function BoxEditor({ src, alt, boxes, onChange }: { src: string; alt: string; boxes: Box[]; onChange: (b: Box[]) => void }) {
  const { t } = useI18n();
  const [start, setStart] = useState<{ x: number; y: number } | null>(null);
  const [draft, setDraft] = useState<Box | null>(null);
  const point = (e: React.PointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (e.clientY - r.top) / r.height)) };
  };
  const span = (a: { x: number; y: number }, b: { x: number; y: number }): Box => ({
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    w: Math.abs(a.x - b.x),
    h: Math.abs(a.y - b.y),
  });
  const round = (b: Box): Box => ({ x: +b.x.toFixed(4), y: +b.y.toFixed(4), w: +b.w.toFixed(4), h: +b.h.toFixed(4) });
  return (
    <div>
      <div
        className="relative inline-block max-w-full touch-none select-none"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          setStart(point(e));
        }}
        onPointerMove={(e) => start && setDraft(span(start, point(e)))}
        onPointerUp={(e) => {
          if (start) {
            const b = span(start, point(e));
            if (b.w > 0.01 && b.h > 0.01) onChange([...boxes, round(b)]);
          }
          setStart(null);
          setDraft(null);
        }}
      >
        <img src={src} alt={alt} draggable={false} className="block max-h-72 w-auto max-w-full rounded" />
        <svg className="pointer-events-none absolute inset-0 h-full w-full" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
          {[...boxes, ...(draft ? [draft] : [])].map((b, i) => (
            <rect key={i} x={b.x} y={b.y} width={b.w} height={b.h} fill="rgba(22,163,74,0.15)" stroke="#15803d" strokeWidth="0.006" />
          ))}
        </svg>
      </div>
      <p className="mt-1 text-xs text-slate-700">{t("aiDrawHint")}</p>
      <ul aria-label={t("aiBoxes")} className="mt-1 flex flex-col gap-1 text-xs">
        {boxes.map((b, i) => (
          <li key={i} className="flex items-center gap-2">
            {t("aiBox", { n: i + 1, x: Math.round(b.x * 100), y: Math.round(b.y * 100), w: Math.round(b.w * 100), h: Math.round(b.h * 100) })}
            <button type="button" className="text-rose-700 underline" onClick={() => onChange(boxes.filter((_, j) => j !== i))}>
              {t("aiRemoveBox", { n: i + 1 })}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
