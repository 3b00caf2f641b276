-- Refresh with rotation: each POST /api/oidc/token (grant_type=refresh_token, client_secret_basic) returns a new
-- refresh token that goes back into this thread's queue. Seed tokens come from BENCH_REFRESH_FILE (one per line);
-- there are more seeds than connections, so the queue never runs dry.
local report = dofile("bench/lua/report.lua")
local basic = os.getenv("BENCH_BASIC")
local threads = {}
local seeds = {}
for line in io.lines(os.getenv("BENCH_REFRESH_FILE")) do table.insert(seeds, line) end
local next_seed = 1
local queue = {}
refreshes = 0
failures = 0

function setup(thread)
  table.insert(threads, thread)
  -- Give each thread its share of the seeds as one space-separated string.
  local share = {}
  local per_thread = math.floor(#seeds / tonumber(os.getenv("BENCH_THREADS") or "1"))
  for i = 1, per_thread do
    table.insert(share, seeds[next_seed]); next_seed = next_seed + 1
  end
  thread:set("seed_tokens", table.concat(share, " "))
end

function init(args)
  for t in string.gmatch(seed_tokens or "", "%S+") do table.insert(queue, t) end
end

request = function()
  local token = table.remove(queue, 1)
  return wrk.format("POST", "/api/oidc/token",
    { ["Authorization"] = basic, ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=refresh_token&refresh_token=" .. (token or ""))
end

response = function(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if status == 200 and token then
    refreshes = refreshes + 1
    table.insert(queue, token)
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  report.print(threads, "refreshes", "refreshes", summary, latency)
end
