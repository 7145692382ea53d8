-- wrk script: cycles through the benchmark queries against /api/v1/search and prints the
-- latency percentiles as a Markdown table row.
local queries = {}
local index = 0

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local city = os.getenv("BENCH_CITY") or "310100"
  for line in io.lines(os.getenv("BENCH_QUERIES")) do
    if #line > 0 then
      table.insert(queries, "/api/v1/search?city=" .. city .. "&q=" .. urlencode(line))
    end
  end
end

function request()
  index = index % #queries + 1
  return wrk.format("GET", queries[index])
end

function done(summary, latency, requests)
  io.write(string.format("| HTTP /api/v1/search (wrk, %d connections) | %d | %.3f | %.3f | %.3f | %.0f req/s |\n",
    tonumber(os.getenv("BENCH_CONNECTIONS") or "4"), summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000,
    summary.requests / (summary.duration / 1e6)))
end
