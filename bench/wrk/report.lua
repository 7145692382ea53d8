-- wrk script: prints one machine-readable line after the run:
--   RESULT <requests/s> <p50 ms> <p99 ms> <p99.9 ms> <requests> <errors>
-- With BENCH_DELAY_MS set, each connection waits that long after each response before
-- its next request, so the offered rate is about connections × 1000 / (delay + latency):
-- the way to hold a server at a chosen fraction of its peak.
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.3f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.requests, errors))
end
