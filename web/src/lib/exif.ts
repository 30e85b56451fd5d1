// SPDX-License-Identifier: AGPL-3.0-or-later
// Reads the GPS position from a JPEG's EXIF block in the browser, before upload, so the
// citizen sees (and can correct) where the photo says it was taken. Only what is needed:
// APP1 "Exif", the TIFF header, IFD0's GPS pointer and the four GPS tags.

export interface GpsPosition {
  lat: number;
  lng: number;
}

export function readJpegGps(buffer: ArrayBuffer): GpsPosition | null {
  const view = new DataView(buffer);
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;  // not a JPEG
  let offset = 2;
  while (offset + 4 <= view.byteLength) {
    const marker = view.getUint16(offset);
    if ((marker & 0xff00) !== 0xff00) return null;
    const length = view.getUint16(offset + 2);
    if (marker === 0xffe1 && offset + 10 <= view.byteLength && view.getUint32(offset + 4) === 0x45786966) {
      return readTiff(view, offset + 10, length - 8);
    }
    if (marker === 0xffda) return null;  // image data starts: no EXIF before it
    offset += 2 + length;
  }
  return null;
}

function readTiff(view: DataView, start: number, length: number): GpsPosition | null {
  const end = Math.min(view.byteLength, start + length);
  if (start + 8 > end) return null;
  const little = view.getUint16(start) === 0x4949;  // "II"
  const u16 = (o: number) => view.getUint16(o, little);
  const u32 = (o: number) => view.getUint32(o, little);
  const inside = (o: number, n: number) => o >= start && o + n <= end;

  const entries = (ifd: number) => {
    const out = new Map<number, { type: number; count: number; valueOffset: number }>();
    if (!inside(ifd, 2)) return out;
    const n = u16(ifd);
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + i * 12;
      if (!inside(e, 12)) break;
      out.set(u16(e), { type: u16(e + 2), count: u32(e + 4), valueOffset: e + 8 });
    }
    return out;
  };
  const ifd0 = entries(start + u32(start + 4));
  const gpsPointer = ifd0.get(0x8825);
  if (!gpsPointer) return null;
  const gps = entries(start + u32(gpsPointer.valueOffset));

  const ref = (tag: number) => {
    const e = gps.get(tag);
    return e ? String.fromCharCode(view.getUint8(e.valueOffset)) : "";
  };
  const degrees = (tag: number) => {
    const e = gps.get(tag);
    if (!e || e.type !== 5 || e.count !== 3) return null;  // three RATIONALs
    const at = start + u32(e.valueOffset);
    if (!inside(at, 24)) return null;
    let value = 0;
    for (let i = 0; i < 3; i++) {
      const den = u32(at + i * 8 + 4);
      if (den === 0) return null;
      value += u32(at + i * 8) / den / 60 ** i;
    }
    return value;
  };
  const lat = degrees(2);
  const lng = degrees(4);
  if (lat === null || lng === null || lat > 90 || lng > 180) return null;
  if (lat === 0 && lng === 0) return null;  // what phones write without a fix
  return { lat: ref(1) === "S" ? -lat : lat, lng: ref(3) === "W" ? -lng : lng };
}
