// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from "vitest";
import { base64UrlToBytes } from "./push";

describe("base64UrlToBytes", () => {
  it("decodes an unpadded base64url VAPID key to its 65 bytes", () => {
    const key = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const bytes = base64UrlToBytes(key);
    expect(bytes.length).toBe(65);
    expect(bytes[0]).toBe(4);
    expect(bytes[1]).toBe(0x25);
    expect(bytes[64]).toBe(0x0e);
  });
  it("handles every padding length", () => {
    expect(Array.from(base64UrlToBytes("AQ"))).toEqual([1]);
    expect(Array.from(base64UrlToBytes("AQI"))).toEqual([1, 2]);
    expect(Array.from(base64UrlToBytes("AQID"))).toEqual([1, 2, 3]);
    expect(Array.from(base64UrlToBytes("-_8"))).toEqual([0xfb, 0xff]);
  });
});
