// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from "vitest";
import { readJpegGps } from "./exif";

// Builds a minimal JPEG: SOI, an APP1 Exif segment with IFD0 -> GPS IFD, then SOS.
function jpegWithGps(lat: [number, number, number], latRef: string, lng: [number, number, number], lngRef: string, little = true) {
  const tiff: number[] = [];
  const u16 = (v: number) => (little ? [v & 0xff, v >> 8] : [v >> 8, v & 0xff]);
  const u32 = (v: number) =>
    little ? [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24] : [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  // header: byte order, 42, IFD0 at 8
  tiff.push(...(little ? [0x49, 0x49] : [0x4d, 0x4d]), ...u16(42), ...u32(8));
  // IFD0 (offset 8): 1 entry: GPS pointer -> 26
  tiff.push(...u16(1), ...u16(0x8825), ...u16(4), ...u32(1), ...u32(26), ...u32(0));
  // GPS IFD (offset 26): 4 entries, then next-IFD 0; rationals follow at 26 + 2 + 48 + 4 = 80
  const rationals = 80;
  tiff.push(...u16(4));
  tiff.push(...u16(1), ...u16(2), ...u32(2), latRef.charCodeAt(0), 0, 0, 0);
  tiff.push(...u16(2), ...u16(5), ...u32(3), ...u32(rationals));
  tiff.push(...u16(3), ...u16(2), ...u32(2), lngRef.charCodeAt(0), 0, 0, 0);
  tiff.push(...u16(4), ...u16(5), ...u32(3), ...u32(rationals + 24));
  tiff.push(...u32(0));
  for (const v of [...lat, ...lng]) tiff.push(...u32(Math.round(v * 100)), ...u32(100));
  const app1 = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const len = app1.length + 2;
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe1, len >> 8, len & 0xff, ...app1, 0xff, 0xda, 0, 2]).buffer;
}

describe("readJpegGps", () => {
  it("reads degrees, minutes, seconds in both byte orders", () => {
    for (const little of [true, false]) {
      const gps = readJpegGps(jpegWithGps([31, 31, 13.44], "N", [74, 21, 31.32], "E", little));
      expect(gps?.lat).toBeCloseTo(31.5204, 4);
      expect(gps?.lng).toBeCloseTo(74.3587, 4);
    }
  });
  it("applies south and west", () => {
    const gps = readJpegGps(jpegWithGps([33, 52, 7.68], "S", [151, 12, 33.48], "W"));
    expect(gps?.lat).toBeCloseTo(-33.8688, 4);
    expect(gps?.lng).toBeCloseTo(-151.2093, 4);
  });
  it("ignores (0, 0), non-JPEGs and truncated data", () => {
    expect(readJpegGps(jpegWithGps([0, 0, 0], "N", [0, 0, 0], "E"))).toBeNull();
    expect(readJpegGps(new TextEncoder().encode("not an image").buffer)).toBeNull();
    expect(readJpegGps(jpegWithGps([31, 0, 0], "N", [74, 0, 0], "E").slice(0, 40))).toBeNull();
  });
});
