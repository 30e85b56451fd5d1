# SPDX-License-Identifier: AGPL-3.0-or-later
# Builds one-replica account, container and object rings for the single device d1, in one
# process (swift-ring-builder create 4 1 0 / add / rebalance, for each ring).
#   /usr/bin/python3 rings.py ETC_DIR ACCOUNT_PORT CONTAINER_PORT OBJECT_PORT
import sys

from swift.cli.ringbuilder import main as ring_builder

etc = sys.argv[1]
for ring, port in zip(("account", "container", "object"), sys.argv[2:5]):
    builder = f"{etc}/{ring}.builder"
    for step in (["create", "4", "1", "0"], ["add", f"r1z1-127.0.0.1:{port}/d1", "100"], ["rebalance"]):
        try:
            ring_builder(["swift-ring-builder", builder, *step])
        except SystemExit as done:
            if done.code not in (0, None):
                sys.exit(f"{ring} ring: {' '.join(step)} failed ({done.code})")
