-- wrk script for bench/async.sh: POST a small JSON body to the echo endpoint asking to be answered
-- later (Prefer: respond-async), and count every answer that is not 202 Accepted, by status.
-- The response() hook costs wrk some CPU per answer (gateway.sh leaves it out for that reason);
-- here it is how we know that every submission was accepted.
wrk.method = "POST"
wrk.body = '{"hello":"world","n":42}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Prefer"] = "respond-async"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  accepted = 0
  rejected = 0
  by_status = {}
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  else
    rejected = rejected + 1
    by_status[status] = (by_status[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local a, r, statuses = 0, 0, {}
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    r = r + t:get("rejected")
    for status, n in pairs(t:get("by_status")) do
      statuses[status] = (statuses[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(statuses) do
    table.insert(parts, status .. "=" .. n)
  end
  table.sort(parts)
  -- One line that bench/async.sh parses: answers counted by the hook (202s, others, others by status).
  io.write(string.format("async-answers: accepted=%d non202=%d statuses=%s\n", a, r,
    #parts > 0 and table.concat(parts, ",") or "-"))
end
