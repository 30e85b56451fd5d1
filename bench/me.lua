-- SPDX-License-Identifier: AGPL-3.0-or-later
-- GET /api/auth/me with a bearer token from BENCH_TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
