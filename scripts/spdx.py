#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# Every source file starts with its licence (SPDX), after a shebang line if it has one.
#   scripts/spdx.py          adds the line where it is missing
#   scripts/spdx.py --check  lists the files without it and fails (make lint)
import subprocess
import sys

LICENSE = "AGPL-3.0-or-later"
COMMENT = {
    ".cc": "//", ".h": "//", ".ts": "//", ".tsx": "//", ".js": "//", ".mjs": "//",
    ".sh": "#", ".py": "#", ".lua": "--",
}
# Files that are not ours or cannot carry a comment line first.
SKIP_PREFIXES = ("web/node_modules/", "build/", "web/dist/")


def tracked():
    out = subprocess.run(["git", "ls-files"], capture_output=True, text=True, check=True).stdout
    for path in out.splitlines():
        ext = path[path.rfind("."):] if "." in path else ""
        if ext in COMMENT and not path.startswith(SKIP_PREFIXES):
            yield path, COMMENT[ext]


def main():
    check = "--check" in sys.argv
    missing = []
    for path, comment in tracked():
        with open(path, encoding="utf-8") as f:
            text = f.read()
        head = text.split("\n", 2)
        if any("SPDX-License-Identifier:" in line for line in head[:2]):
            continue
        missing.append(path)
        if check:
            continue
        line = f"{comment} SPDX-License-Identifier: {LICENSE}\n"
        if text.startswith("#!"):
            first, _, rest = text.partition("\n")
            text = first + "\n" + line + rest
        else:
            text = line + text
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    if check and missing:
        print("spdx: no SPDX-License-Identifier line in:\n  " + "\n  ".join(missing))
        sys.exit(1)
    print(f"spdx: {'checked' if check else 'added to'} {len(missing) if not check else 'all'} files")


if __name__ == "__main__":
    main()
