-- One "login exchange" = GET /authorize with an existing session (303 with a code) + POST /api/oidc/token
-- (authorization_code, PKCE S256, client_secret_basic). Codes from authorize responses are queued per thread and
-- redeemed by the next request the thread sends, so every connection keeps both kinds of requests in flight.
local report = dofile("bench/lua/report.lua")
local cookie = os.getenv("BENCH_COOKIE")
local basic = os.getenv("BENCH_BASIC")
local authorize_path = os.getenv("BENCH_AUTHORIZE_PATH")
local token_body_prefix = os.getenv("BENCH_TOKEN_BODY")
local threads = {}
local codes = {}
exchanges = 0
failures = 0

function setup(thread)
  table.insert(threads, thread)
end

request = function()
  local code = table.remove(codes)
  if code then
    return wrk.format("POST", "/api/oidc/token",
      { ["Authorization"] = basic, ["Content-Type"] = "application/x-www-form-urlencoded" },
      token_body_prefix .. "&code=" .. code)
  end
  return wrk.format("GET", authorize_path, { ["Cookie"] = cookie })
end

response = function(status, headers, body)
  if status == 303 then
    local code = (headers["Location"] or ""):match("[?&]code=([^&]+)")
    if code then table.insert(codes, code) else failures = failures + 1 end
  elseif status == 200 and body:find('"id_token"', 1, true) then
    exchanges = exchanges + 1
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  report.print(threads, "exchanges", "login exchanges", summary, latency)
end
