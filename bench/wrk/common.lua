-- Shared by the wrk scripts of bench/load.sh: bearer-token auth, a JSON
-- POST, and one machine-readable result line from done().
--   TOKEN        the API token (required)
-- Each script sets `path` and `bodies` (one or more request bodies, sent in
-- turn per connection thread) before it calls setup_post().

local token = os.getenv("TOKEN")
if not token or token == "" then
  error("set TOKEN to an API token (bench/load.sh does)")
end

function setup_post(path, bodies)
  wrk.method = "POST"
  wrk.path = path
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.body = bodies[1]
  if #bodies > 1 then
    local reqs = {}
    for i, b in ipairs(bodies) do
      reqs[i] = wrk.format("POST", path, nil, b)
    end
    local i = 0
    request = function()
      i = i % #reqs + 1
      return reqs[i]
    end
  end
end

-- One line that bench/load.sh reads; latency in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d " ..
    "status_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
