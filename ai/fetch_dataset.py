# SPDX-License-Identifier: AGPL-3.0-or-later
"""Downloads every page of CleanAI's data set export (GET /api/ai/dataset, admins only)
into OUT_DIR as page0.tar, page1.tar, ..., following X-Next-Cursor; ai/train.py --data
takes them all.

  CLEANAI_TOKEN=... python3 ai/fetch_dataset.py https://cleanai.example.org OUT_DIR

The access token comes from the environment (never the command line, which other users
of the machine can read): an admin's, from POST /api/auth/login.
"""
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: CLEANAI_TOKEN=... fetch_dataset.py BASE_URL OUT_DIR")
    base, out = sys.argv[1].rstrip("/"), sys.argv[2]
    token = os.environ.get("CLEANAI_TOKEN", "")
    if not token:
        sys.exit("fetch_dataset: set CLEANAI_TOKEN to an admin's access token")
    os.makedirs(out, exist_ok=True)
    cursor, page, images = "", 0, 0
    while True:
        query = {"limit": "200"}
        if cursor:
            query["after"] = cursor
        req = urllib.request.Request(base + "/api/ai/dataset?" + urllib.parse.urlencode(query),
                                     headers={"Authorization": "Bearer " + token})
        try:
            with urllib.request.urlopen(req, timeout=300) as res:
                body = res.read()
                cursor = res.headers.get("X-Next-Cursor", "")
                images += int(res.headers.get("X-Images", "0"))
        except urllib.error.HTTPError as e:
            sys.exit("fetch_dataset: %s answered %d: %s" % (base, e.code, e.read(300).decode("utf-8", "replace")))
        except urllib.error.URLError as e:
            sys.exit("fetch_dataset: cannot reach %s: %s" % (base, e.reason))
        path = os.path.join(out, "page%d.tar" % page)
        with open(path, "wb") as f:
            f.write(body)
        page += 1
        if not cursor:
            break
    print("fetch_dataset: %d labelled photos in %d page(s) under %s" % (images, page, out))


if __name__ == "__main__":
    main()
