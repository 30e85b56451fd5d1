-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The public map as visitors use it: each request a view five tiles wide at BENCH_ZOOM,
-- somewhere in one of the five seeded cities (so views differ, and only some are
-- answered from the cache). BENCH_QUERY adds filters ("&types=plastic&show=open").
local zoom = tonumber(os.getenv("BENCH_ZOOM") or "12")
local extra = os.getenv("BENCH_QUERY") or ""
local cities = { { 24.8607, 67.0011 }, { 31.5204, 74.3587 }, { 33.6844, 73.0479 },
                 { 34.0151, 71.5249 }, { 30.1798, 66.975 } }
local width = 360 / 2 ^ zoom * 5
local height = width * 0.6
local spread = math.min(0.3, width * 4)
request = function()
  local c = cities[math.random(#cities)]
  local lat = c[1] + (math.random() - 0.5) * spread
  local lng = c[2] + (math.random() - 0.5) * spread
  return wrk.format("GET", string.format("/api/public/map?bbox=%.5f,%.5f,%.5f,%.5f&zoom=%d%s",
    lng - width / 2, lat - height / 2, lng + width / 2, lat + height / 2, zoom, extra))
end
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
