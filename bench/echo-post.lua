-- wrk script for bench/gateway.sh: POST a small JSON body to the echo endpoint.
-- No per-response callback: a Lua response() hook would make wrk itself the bottleneck.
wrk.method = "POST"
wrk.body = '{"hello":"world","n":42}'
wrk.headers["Content-Type"] = "application/json"
