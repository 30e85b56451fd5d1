// SPDX-License-Identifier: AGPL-3.0-or-later
import { describe, expect, it, vi } from "vitest";
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

describe("enablePush", () => {
  // A browser with a subscription made under `oldKey`; the server now has `newKey`.
  async function setUp(oldKey: number[] | null, newKey: string) {
    vi.resetModules();
    const calls: string[] = [];
    const existing = oldKey && {
      options: { applicationServerKey: new Uint8Array(oldKey).buffer },
      unsubscribe: vi.fn(async () => calls.push("unsubscribe")),
      toJSON: () => ({ endpoint: "https://push.example/old" }),
    };
    const pushManager = {
      getSubscription: vi.fn(async () => existing),
      subscribe: vi.fn(async (o: { applicationServerKey: Uint8Array }) => {
        calls.push(`subscribe ${Array.from(o.applicationServerKey).join(",")}`);
        return { toJSON: () => ({ endpoint: "https://push.example/new" }) };
      }),
    };
    vi.stubGlobal("navigator", { serviceWorker: { ready: Promise.resolve({ pushManager }) } });
    vi.stubGlobal("window", { PushManager: class {}, Notification: class {} });
    vi.stubGlobal("Notification", { requestPermission: async () => "granted" });
    const sent: unknown[] = [];
    vi.doMock("@/lib/api-client", () => ({
      api: async (path: string, init?: { json?: unknown }) => {
        if (path === "/api/notify/push/key") return { publicKey: newKey };
        sent.push(init?.json);
        return {};
      },
    }));
    const push = await import("./push");
    return { push, calls, sent };
  }

  it("keeps a subscription made with the server's key", async () => {
    const { push, calls, sent } = await setUp([1, 2, 3], "AQID");
    await push.enablePush();
    expect(calls).toEqual([]);
    expect(sent).toEqual([{ endpoint: "https://push.example/old" }]);
  });

  it("replaces a subscription made with a rotated key", async () => {
    const { push, calls, sent } = await setUp([9, 9, 9], "AQID");
    await push.enablePush();
    expect(calls).toEqual(["unsubscribe", "subscribe 1,2,3"]);
    expect(sent).toEqual([{ endpoint: "https://push.example/new" }]);
  });

  it("subscribes when there is none", async () => {
    const { push, calls } = await setUp(null, "AQID");
    await push.enablePush();
    expect(calls).toEqual(["subscribe 1,2,3"]);
  });
});
