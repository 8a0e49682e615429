-- wrk script of bench/run.sh: sends BENCH_BODY as a JSON POST with the headers in BENCH_HEADERS ("Name: value" lines), and prints one
-- machine-readable line at the end: requests/s, p50 and p99 in microseconds, requests, non-2xx answers and socket errors.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or "{}"
wrk.headers["Content-Type"] = "application/json"
for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("BENCH %.1f %d %d %d %d %d\n",
    summary.requests / seconds, latency:percentile(50), latency:percentile(99), summary.requests, summary.errors.status, socket))
end
