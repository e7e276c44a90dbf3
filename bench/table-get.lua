-- wrk script for bench/tables.sh: GET random keys of the table, every key present (u0 .. u<KEYS-1>).
-- The requests are made once (POOL of them, each a random key) and then sent in turn, so that wrk spends no
-- more per call than for a fixed request; a Lua request() hook still costs wrk something the echo side does not.
local keys = tonumber(os.getenv("TABLE_KEYS") or "1000000")
local table_name = os.getenv("TABLE_NAME") or "recs"
local pool = tonumber(os.getenv("TABLE_POOL") or "100000")
local requests = {}
local i = 0

init = function(args)
  math.randomseed(42)
  for n = 1, pool do
    requests[n] = wrk.format("GET", "/v1/tables/" .. table_name .. "/u" .. math.random(0, keys - 1))
  end
end

request = function()
  i = i % pool + 1
  return requests[i]
end
