-- Shared by the wrk scripts: one JSON line at the end with requests/s, p50, p99 (ms) and errors.
local summary = {}

function summary.done(name, result, latency)
  local seconds = result.duration / 1e6
  local errors = result.errors
  io.write(string.format(
    '{"kind":"api","subject":"%s","parameters":{"connections":%d},"figures":{"requestsPerSecond":%.1f,"p50Milliseconds":%.3f,"p99Milliseconds":%.3f,"requests":%d,"non2xx":%d,"socketErrors":%d}}\n',
    name, tonumber(os.getenv("DDAS_BENCH_CONNECTIONS") or "0"), result.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, result.requests, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end

return summary
