import { describe, expect, it } from "vitest";
import { checkCoordinates, timeAgo } from "./format";

describe("timeAgo", () => {
  const now = new Date("2026-11-24T12:00:00Z");
  it("says just now, minutes and hours", () => {
    expect(timeAgo("2026-11-24T11:59:30Z", now)).toBe("just now");
    expect(timeAgo("2026-11-24T11:45:00Z", now)).toBe("15 min ago");
    expect(timeAgo("2026-11-24T09:00:00Z", now)).toBe("3 h ago");
  });
  it("is empty for garbage", () => {
    expect(timeAgo("not a date", now)).toBe("");
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
