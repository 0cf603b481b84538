-- GET of one route (the URL's path) with the projectteam token read from the file named in
-- DDAS_BENCH_TOKEN_FILE (never on the command line, never printed); DDAS_BENCH_NAME names
-- the route in the summary. Without the variable, no token (the limit route /health/live).
package.path = os.getenv("DDAS_BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local summary = require("summary")

local file = os.getenv("DDAS_BENCH_TOKEN_FILE")
if file and file ~= "" then
  local handle = assert(io.open(file, "r"))
  wrk.headers["Authorization"] = "Bearer " .. handle:read("*l")
  handle:close()
end

function done(result, latency, requests)
  summary.done(os.getenv("DDAS_BENCH_NAME") or wrk.path, result, latency)
end
