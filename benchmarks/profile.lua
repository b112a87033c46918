-- wrk script: GET the unified profile of a random address from the file named by BENCH_ADDRS;
-- prints one JSON line with the latency percentiles (microseconds) and error counts.
local addrs = {}
for line in io.lines(os.getenv("BENCH_ADDRS")) do
  addrs[#addrs + 1] = line
end
local seeded = false

request = function()
  if not seeded then
    math.randomseed(os.time() + math.floor(os.clock() * 1000000) + #tostring({}))
    seeded = true
  end
  return wrk.format("GET", "/api/v1/esg/unified-profile/" .. addrs[math.random(#addrs)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
