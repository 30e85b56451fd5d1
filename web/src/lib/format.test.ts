// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it } from "vitest";
import { checkCoordinates, timeAgo } from "./format";
import { fill } from "./i18n";
import { en } from "./messages-en";
import { ur } from "./messages-ur";

const tEn = (k: keyof typeof en, p?: Record<string, string | number>) => fill(en[k], p);
const tUr = (k: keyof typeof ur, p?: Record<string, string | number>) => fill(ur[k], p);
const date = () => "a date";

describe("timeAgo", () => {
  const now = new Date("2026-11-24T12:00:00Z");
  it("says just now, minutes and hours", () => {
    expect(timeAgo("2026-11-24T11:59:30Z", tEn, date, now)).toBe("just now");
    expect(timeAgo("2026-11-24T11:45:00Z", tEn, date, now)).toBe("15 min ago");
    expect(timeAgo("2026-11-24T09:00:00Z", tEn, date, now)).toBe("3 h ago");
    expect(timeAgo("2026-11-20T09:00:00Z", tEn, date, now)).toBe("a date");
  });
  it("speaks Urdu", () => {
    expect(timeAgo("2026-11-24T11:45:00Z", tUr, date, now)).toBe("15 منٹ پہلے");
  });
  it("is empty for garbage", () => {
    expect(timeAgo("not a date", tEn, date, now)).toBe("");
  });
});

describe("messages", () => {
  it("Urdu has every English key, each translated", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ur[key], key).toBeTruthy();
      if (!["appName", "impactNone"].includes(key)) expect(ur[key], key).not.toBe(en[key]);
    }
  });
  it("placeholders are filled, unknown ones kept", () => {
    expect(fill("{n} min ago", { n: 3 })).toBe("3 min ago");
    expect(fill("{x}", {})).toBe("{x}");
  });
});

describe("checkCoordinates", () => {
  it("accepts empty (the photo's GPS will be used) and valid pairs", () => {
    expect(checkCoordinates("", "")).toBe("");
    expect(checkCoordinates("31.5204", "74.3587")).toBe("");
  });
  it("refuses half pairs and out-of-range values", () => {
    expect(checkCoordinates("31.5", "")).not.toBe("");
    expect(checkCoordinates("91", "74")).not.toBe("");
    expect(checkCoordinates("31", "east")).not.toBe("");
  });
});

describe("fill", () => {
  it("picks the word for the count in each language", () => {
    expect(fill("{n} {n|report|reports}", { n: 1 })).toBe("1 report");
    expect(fill("{n} {n|report|reports}", { n: 0 })).toBe("0 reports");
    expect(fill("{n} {n|report|reports}", { n: 3 })).toBe("3 reports");
    expect(fill("{n} {n|اطلاع|اطلاعات}", { n: 1 }, "ur")).toBe("1 اطلاع");
    expect(fill("{n} {n|اطلاع|اطلاعات}", { n: 5 }, "ur")).toBe("5 اطلاعات");
    expect(fill(en.alertFlood, { level: "high", place: "Karachi", n: 1 })).toBe(
      "Flood risk high near Karachi: 1 blocked drain reported",
    );
  });
});
