// SPDX-License-Identifier: AGPL-3.0-or-later
export type Role = "citizen" | "driver" | "admin";

export interface User {
  id: string;
  username: string;
  email: string;
  role: Role;
  reportsSubmitted: number;
  reportsResolved: number;
}

export type ReportStatus =
  | "submitted"
  | "acknowledged"
  | "dispatched"
  | "in_progress"
  | "resolved"
  | "rejected"
  | "duplicate";

export interface Report {
  id: string;
  wasteType: string;
  status: ReportStatus;
  priority: "low" | "medium" | "high" | "urgent";
  size: string | null;
  blocksDrain: boolean;
  description: string | null;
  location: { lat: number; lng: number; address: string; city?: string | null; country?: string | null; source: string | null };
  imageUrl: string;
  thumbnailUrl: string;
  verificationImageUrl: string | null;
  dispatchedTo: string | null;
  rejectionReason: string | null;
  duplicateOf?: string | null;
  confirmations: number;
  /** An admin keeps its photos off public view: only its reporter and admins may load them. */
  photoHidden?: boolean;
  aiDetectedType?: string | null;
  aiConfidence?: number | null;
  createdAt: string;
  updatedAt: string;
  reporter?: { id: string; username: string } | null;
  distanceM?: number;
}

export interface WasteType {
  code: string;
  label: string;
  labelUr: string;
  defaultPriority: string;
}

export interface Vehicle {
  id: string;
  vehicleNumber: string;
  driverId?: string | null;
  driverName: string | null;
  status: "idle" | "busy" | "offline" | "maintenance";
  capacity: number;
  currentLoad: number;
  currentLat?: number | null;
  currentLng?: number | null;
  positionUpdatedAt?: string | null;
  positionStale?: boolean;
}
