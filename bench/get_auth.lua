-- SPDX-License-Identifier: AGPL-3.0-or-later
-- GET with a bearer token (BENCH_TOKEN); with BENCH_IDS (a file of report ids) each
-- request asks for a random one of them.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
local ids = {}
local file = os.getenv("BENCH_IDS")
if file then
  for line in io.lines(file) do ids[#ids + 1] = line end
end
request = function()
  if #ids > 0 then
    return wrk.format("GET", "/api/reports/" .. ids[math.random(#ids)])
  end
  return wrk.format("GET", nil)
end
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
