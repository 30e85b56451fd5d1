#!/usr/bin/python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks that each server folder includes only the folders it may use (docs/architecture.md,
"The map"). Tests (*_test.cc), app/, testing/ and integration/ may use anything."""
import glob
import re
import sys

LOW = {"core"}
MAY_USE = {
    "core": set(),
    "storage": {"core"},
    "http": {"core"},
    "routing": {"core"},
    "auth": {"http", "storage"},
    "media": {"http", "storage"},
    "events": {"http", "storage"},
    "flood": {"http", "storage"},
    "geo": {"http"},
    "papers": {"http", "storage"},
    "notify": {"events", "http", "storage"},
    "reports": {"media", "notify", "events", "storage", "http"},
    "ai": {"reports"},
    "fleet": {"reports", "routing"},
    "analytics": {"reports"},
    "alerts": {"reports", "flood"},
    "open311": {"reports", "auth"},
    "public": {"reports"},
    "ops": {"media", "storage"},
}


def reachable(folder):
    """What a folder may include: what it uses, and what those use, down to core."""
    seen, todo = set(), [folder]
    while todo:
        for dep in MAY_USE[todo.pop()] | LOW:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


bad = []
for path in sorted(glob.glob("server/*/*.cc") + glob.glob("server/*/*.h")):
    folder = path.split("/")[1]
    if folder not in MAY_USE or path.endswith("_test.cc"):
        continue
    ok = reachable(folder) | {folder}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        m = re.match(r'#include "([a-z0-9_]+)/', line)
        if m and m.group(1) not in ok:
            bad.append(f"{path}:{n}: {folder}/ may not include {m.group(1)}/ (docs/architecture.md)")
print("\n".join(bad) if bad else f"layers: {len(MAY_USE)} server folders include only what they may use")
sys.exit(1 if bad else 0)
