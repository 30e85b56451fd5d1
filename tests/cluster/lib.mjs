// SPDX-License-Identifier: AGPL-3.0-or-later
// What the cluster tests share: a free loopback port, a pause, a JPEG read from disk (made
// by the e2e harness's makeJpeg, libvips' command line).
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { makeJpeg } from "../../web/e2e/harness.mjs";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

export function jpegBytes(dir, name, width = 320, height = 240) {
  return readFileSync(makeJpeg(dir, name, width, height));
}
