// SPDX-License-Identifier: AGPL-3.0-or-later
// After `vite build`: a brotli (.br) and a gzip (.gz) copy of every text file in dist/, at
// the strongest settings (done once per build, so the server never compresses at request
// time). The server picks the copy the browser accepts (server/app/web_routes.cc).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = new URL("../dist", import.meta.url).pathname;
const textLike = /\.(js|css|html|svg|json|webmanifest|txt)$/;
let before = 0;
let afterBr = 0;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
      continue;
    }
    if (!textLike.test(name)) continue;
    const bytes = readFileSync(path);
    if (bytes.length < 1024) continue; // headers would cost more than they save
    const br = brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
    before += bytes.length;
    afterBr += br.length;
  }
}

walk(dist);
console.log(`precompress: ${(before / 1024).toFixed(0)} KiB of text -> ${(afterBr / 1024).toFixed(0)} KiB with brotli`);
