-- The consent write mix: each wrk thread (one connection each) is one gemeente with its own
-- gemeente token, and gives consent to its supplier for VS, then revokes it (the id from the
-- Location of the answer), then gives it again, and so on: every request a real write with
-- its audit event. The tokens come from the file named in DDAS_BENCH_CONSENT_FILE, one line
-- "gemeentecode leverancier token" per thread; they are never printed.
package.path = os.getenv("DDAS_BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local summary = require("summary")

local counter = 0
local lines = {}
for line in io.lines(os.getenv("DDAS_BENCH_CONSENT_FILE")) do
  lines[#lines + 1] = line
end

function setup(thread)
  counter = counter + 1
  thread:set("line", lines[(counter - 1) % #lines + 1])
end

local code, supplier, token, consent

function init(args)
  code, supplier, token = line:match("^(%S+) (%S+) (%S+)$")
  assert(token, "DDAS_BENCH_CONSENT_FILE: each line is gemeentecode, leverancier and token")
end

function request()
  if not token then -- wrk's main state checks request() before any thread runs init()
    return wrk.format("GET", "/health/live")
  end
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  if consent then
    return wrk.format("POST", "/v1/gemeenten/" .. code .. "/toestemmingen/" .. consent .. "/intrekkingen", headers,
      '{"reden":"benchmark"}')
  end
  return wrk.format("POST", "/v1/gemeenten/" .. code .. "/toestemmingen", headers,
    '{"leverancier":"' .. supplier .. '","stromen":["VS"],"besluitdatum":"2025-10-01","besluitvormendOrgaan":"college",' ..
    '"documentreferentie":"BENCHMARK","documentSha256":"' .. string.rep("ab", 32) .. '","geldigVan":"2025-11-01"}')
end

function response(status, headers, body)
  if consent then
    if status == 201 or status == 200 then consent = nil end
  elseif status == 201 then
    consent = (headers["Location"] or headers["location"] or ""):match("/toestemmingen/([%x%-]+)$")
  end
end

function done(result, latency, requests)
  summary.done("POST consent give/revoke", result, latency)
end
