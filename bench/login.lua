-- SPDX-License-Identifier: AGPL-3.0-or-later
-- POST /api/auth/login with the bench account; BENCH_USER / BENCH_PASSWORD from the env.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"username":"%s","password":"%s"}',
                         os.getenv("BENCH_USER"), os.getenv("BENCH_PASSWORD"))
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
