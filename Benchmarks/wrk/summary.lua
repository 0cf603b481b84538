-- Shared by the wrk scripts: one JSON line at the end with requests/s, p50, p99 (ms) and errors.
-- DDAS_BENCH_SETTING (synchronous_commit: "off" or "on") and DDAS_BENCH_SEGMENT (which third of
-- a longer run, 0 for a whole run) are added to the parameters when set.
local summary = {}

function summary.done(name, result, latency)
  local seconds = result.duration / 1e6
  local errors = result.errors
  local extra = ""
  if os.getenv("DDAS_BENCH_SETTING") then
    extra = string.format(',"synchronousCommit":"%s","segment":%d', os.getenv("DDAS_BENCH_SETTING"),
      tonumber(os.getenv("DDAS_BENCH_SEGMENT") or "0"))
  end
  io.write(string.format(
    '{"kind":"api","subject":"%s","parameters":{"connections":%d%s},"figures":{"requestsPerSecond":%.1f,"p50Milliseconds":%.3f,"p99Milliseconds":%.3f,"requests":%d,"non2xx":%d,"socketErrors":%d}}\n',
    name, tonumber(os.getenv("DDAS_BENCH_CONNECTIONS") or "0"), extra, result.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, result.requests, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end

return summary
