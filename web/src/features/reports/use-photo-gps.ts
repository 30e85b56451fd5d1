// SPDX-License-Identifier: AGPL-3.0-or-later
import { useEffect, useState } from "react";
import { readJpegGps } from "@/lib/exif";

/** The photo's own GPS position, read on the phone before upload (EXIF sits in the first
 *  256 KB), or null when it carries none. */
export function usePhotoGps(photo: File | null): { lat: number; lng: number } | null {
  const [gps, setGps] = useState<{ lat: number; lng: number } | null>(null);
  useEffect(() => {
    setGps(null);
    if (!photo) return;
    let cancelled = false;
    photo
      .slice(0, 256 * 1024)
      .arrayBuffer()
      .then((buf) => {
        const found = readJpegGps(buf);
        if (!cancelled && found) setGps(found);
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [photo]);
  return gps;
}
