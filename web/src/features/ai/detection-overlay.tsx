// The photo with the AI's boxes drawn over it (SVG in the photo's own fractions, so it
// scales with the image).
import type { Detection } from "./api";
import { useWasteLabel } from "@/features/reports/use-waste-label";

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
