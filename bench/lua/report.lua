-- Shared by the OIDC benchmark scripts: sums a per-thread counter and prints rate and latency percentiles.
local report = {}

function report.print(threads, counter, label, summary, latency)
  local total, failed = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get(counter)
    failed = failed + t:get("failures")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("%s/s: %.0f  (%s %d, failed responses %d)\n", label, total / seconds, label, total, failed))
  io.write(string.format("latency p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end

return report
