// SPDX-License-Identifier: AGPL-3.0-or-later
import { api, uploadForm } from "@/lib/api-client";

// A box in the photo: top-left and size as fractions of it.
export interface Detection {
  x: number;
  y: number;
  w: number;
  h: number;
  class: string;
  confidence: number;
  wasteType: string | null;
}

export interface PhotoAnalysis {
  detections: Detection[];
  detectedType: string | null;
  confidence: number | null;
  coverage: number;
  latencyMs: number;
  model: string;
}

export interface ReportAnalysis {
  reportId: string;
  enabled: boolean;
  citizenType: string;
  job: "queued" | "running" | "done" | "failed" | null;
  photos: (PhotoAnalysis & { photo: "report" | "after"; analyzedAt: string })[];
  label: { wasteType: string; boxes: { x: number; y: number; w: number; h: number }[] } | null;
}

export const aiKeys = {
  status: ["ai", "status"] as const,
  report: (id: string) => ["reports", "ai", id] as const,
};

export const fetchAiStatus = () => api<{ enabled: boolean; reason: string | null }>("/api/ai/status");
export const fetchReportAnalysis = (id: string) => api<ReportAnalysis>(`/api/ai/reports/${id}`);
export const saveLabel = (id: string, wasteType: string, boxes?: { x: number; y: number; w: number; h: number }[]) =>
  api(`/api/ai/reports/${id}/label`, { method: "PUT", json: boxes ? { wasteType, boxes } : { wasteType } });

export function analyzePhoto(photo: File): Promise<PhotoAnalysis> {
  const form = new FormData();
  form.set("photo", photo);
  return uploadForm<PhotoAnalysis>("/api/ai/analyze", form);
}
