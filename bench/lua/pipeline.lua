-- HTTP/1.1 pipelining: each connection sends BENCH_DEPTH (default 16) requests for the given path at once, so the
-- load generator spends less per request and the server's own capacity shows. wrk counts every response.
local depth = tonumber(os.getenv("BENCH_DEPTH") or "16")

function init(args)
  local path = args[1] or "/"
  local batch = {}
  for i = 1, depth do batch[i] = wrk.format("GET", path) end
  req = table.concat(batch)
end

function request()
  return req
end
