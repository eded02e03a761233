-- wrk script of bench/serve.ts: each request takes the next path of $WRK_PATHS (one a line), each
-- thread starting at its own offset, and `done` prints the figures as one JSON line.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
local i = 0
function init(args)
  -- Threads start far apart in the list, so that no two ask for the same page at once.
  i = math.floor((offset or 0) * #paths / 2)
end
function request()
  i = i + 1
  return wrk.format(nil, paths[(i % #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"errors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
