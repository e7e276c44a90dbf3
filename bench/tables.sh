#!/usr/bin/env bash
# Precomputed tables benchmark (issue #15), one server, same run:
#   lookups  GET /v1/tables/recs/{random key} of a KEYS-key table vs POST to the echo example, both through the
#            gateway, 16 connections, rounds alternating. Target: lookups >= 1.2x echo, lookup p99 <= 1 ms.
#   load     rows per second from a JSON Lines artifact of a Metaflow run (metaflow://...), from a local file sent
#            over HTTP in batches (flowhost table load), and from a BIG_KEYS-row file the server reads; the
#            gateway's RSS before and after the big one.
#   latency  lookups and echo at the same fixed rate (RATE per second over 16 connections, h2load), p50/p99/p99.9
#            from every request's time: the p99 a caller sees at a stated load, not at saturation.
#   swap     lookups for SWAP_SECONDS while new versions of the table are loaded and published: failed lookups
#            (non-2xx, socket errors) must be zero.
# Prints a markdown report and keeps it in bench/results/tables-<timestamp>.md (git-ignored).
#
#   bash bench/tables.sh                         1M-key lookups, 10M-key load
#   KEYS=100000 BIG_KEYS=1000000 bash bench/tables.sh   a quick run
#
# Other knobs: DURATION (s, 15), WARMUP (s, 10), ROUNDS (2), CONNECTIONS (16), THREADS (wrk -t, 2), RATE (30000),
# SWAP_SECONDS (30), SWAPS (versions published during it, 3), QUIET_WAIT (20).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

KEYS="${KEYS:-1000000}"
BIG_KEYS="${BIG_KEYS:-10000000}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-10}"
ROUNDS="${ROUNDS:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
SWAP_SECONDS="${SWAP_SECONDS:-30}"
SWAPS="${SWAPS:-3}"
RATE="${RATE:-30000}"
QUIET_WAIT="${QUIET_WAIT:-20}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers KEYS BIG_KEYS DURATION WARMUP ROUNDS CONNECTIONS THREADS SWAP_SECONDS SWAPS QUIET_WAIT RATE
bench_setup tables
bench_files tables
if ! command -v h2load >/dev/null 2>&1; then
  apt_install nghttp2-client "h2load (fixed-rate latency)"
fi

rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# heap_mib PID: the JVM heap in use right after a full GC (what the process keeps on the heap), in MiB.
heap_mib() {
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null
  "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); printf "%.0f", v / 1024; exit } }'
}
# rate_run NAME SECONDS [H2LOAD_OPTION...]: h2load at RATE requests/s over CONNECTIONS, every request's time in
# $work/NAME.log; prints "p50 p99 p999 requests non2xx" in ms.
rate_run() {
  local name="$1" secs="$2" per_client
  per_client=$(( (RATE + CONNECTIONS - 1) / CONNECTIONS ))
  echo "===== $name: h2load --h1 -c$CONNECTIONS -t1 --rps $per_client -D $secs ${*:3}" >>"$raw"
  h2load --h1 -c"$CONNECTIONS" -t1 --rps "$per_client" -D "$secs" --log-file="$work/$name.log" "${@:3}" \
      >"$work/$name.txt" 2>&1 || log "h2load exited with status $? for $name"
  cat "$work/$name.txt" >>"$raw"
  python3 - "$work/$name.log" "$work/$name.txt" <<'PY'
import re, sys
times = sorted(int(line.split()[2]) for line in open(sys.argv[1]) if line.strip())
codes = open(sys.argv[2]).read()
m = re.search(r"status codes: (\d+) 2xx", codes)
total = len(times)
bad = total - int(m.group(1)) if m else total
q = lambda f: times[min(total - 1, int(total * f))] / 1000.0
print("%.3f %.3f %.3f %d %d" % (q(0.5), q(0.99), q(0.999), total, bad))
PY
}
seconds_since() { awk -v t0="$1" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.2f", t1 - t0 }'; }
per_second() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

# --- data ------------------------------------------------------------------------------------------
log "writing $KEYS and $BIG_KEYS rows of JSON Lines, and a datastore holding $KEYS of them as an artifact"
python3 bench/tables-data.py jsonl "$KEYS" "$work/rows.jsonl" 1
python3 bench/tables-data.py jsonl "$KEYS" "$work/rows-v2.jsonl" 2
python3 bench/tables-data.py jsonl "$BIG_KEYS" "$work/big.jsonl" 1
python3 bench/tables-data.py artifact "$KEYS" examples/iris/metaflow "$work/datastore" recs_jsonl
big_bytes="$(stat -c %s "$work/big.jsonl")"

# --- the server --------------------------------------------------------------------------------
launch_server --metaflow-root "$work/datastore"
"${java[@]}" -jar "$jar" deploy "$echo_jar" --server "$base" --min-instances 1 --max-instances 1 \
    --max-concurrency "$((CONNECTIONS * 2))" --target-in-flight "$((CONNECTIONS * 2))" >&2
rss_start="$(rss_mib "$server_pid")"

# --- loads -------------------------------------------------------------------------------------
load() { # TABLE SOURCE: loads on the server; prints "rows seconds"
  local t0 answer
  t0="$(date +%s.%N)"
  answer="$(curl -fsS -X POST -H 'Content-Type: application/json' \
      --data "{\"source\": \"$2\"}" "$base/v1/tables/$1/load")"
  echo "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"])' <<<"$answer") $(seconds_since "$t0")"
}
log "loading recs from the JSON Lines artifact metaflow://IrisFlow/latest/end/recs_jsonl"
read -r artifact_rows artifact_s <<<"$(load recs "metaflow://IrisFlow/latest/end/recs_jsonl")"
log "sending $KEYS rows over HTTP in batches (flowhost table load recs-http FILE)"
t0="$(date +%s.%N)"
"${java[@]}" -jar "$jar" table load recs-http "$work/rows.jsonl" --server "$base" >"$work/http-load.txt"
http_s="$(seconds_since "$t0")"
http_rows="$(curl -fsS "$base/v1/tables/recs-http" | python3 -c 'import json,sys; print(json.load(sys.stdin)["current"]["rows"])')"
curl -fsS -X DELETE "$base/v1/tables/recs-http" >/dev/null

# --- lookups vs echo ---------------------------------------------------------------------------
export TABLE_KEYS="$KEYS" TABLE_NAME=recs
get_lua="$here/bench/table-get.lua"
echo_lua="$here/bench/echo-post.lua"
code="$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/tables/recs/u1")"
[ "$code" = 200 ] || { echo "GET /v1/tables/recs/u1 answered $code" >&2; exit 1; }
log "warm-up ${WARMUP}s each"
lua="$get_lua" wrk_run warm-lookup "$base/v1/tables/recs/u0" "$WARMUP" "$server_pid"
lua="$echo_lua" wrk_run warm-echo "$base/v1/services/echo/echo" "$WARMUP" "$server_pid"
for r in $(seq 1 "$ROUNDS"); do
  log "round $r: lookups, ${DURATION}s"
  wait_quiet
  lua="$get_lua" wrk_run "lookup-$r" "$base/v1/tables/recs/u0" "$DURATION" "$server_pid"
  log "round $r: echo, ${DURATION}s"
  wait_quiet
  lua="$echo_lua" wrk_run "echo-$r" "$base/v1/services/echo/echo" "$DURATION" "$server_pid"
done

# --- latency at a fixed rate ------------------------------------------------------------------
python3 - "$work/urls.txt" "$base" "$KEYS" <<'PY'
import random, sys
random.seed(42)
with open(sys.argv[1], "w") as f:
    for _ in range(100000):
        f.write("%s/v1/tables/recs/u%d\n" % (sys.argv[2], random.randrange(int(sys.argv[3]))))
PY
printf '%s' '{"hello":"world","n":42}' >"$work/echo-body.json"
log "latency: lookups and echo at $RATE/s each, ${DURATION}s"
wait_quiet
read -r rl_p50 rl_p99 rl_p999 rl_n rl_bad <<<"$(rate_run rate-lookup "$DURATION" -i "$work/urls.txt")"
wait_quiet
read -r re_p50 re_p99 re_p999 re_n re_bad <<<"$(rate_run rate-echo "$DURATION" -d "$work/echo-body.json" \
    -H 'Content-Type: application/json' "$base/v1/services/echo/echo")"

# --- swap under load ---------------------------------------------------------------------------
log "swap: lookups for ${SWAP_SECONDS}s while $SWAPS new versions are loaded and published"
wait_quiet
(
  sleep 2
  for s in $(seq 1 "$SWAPS"); do
    if [ $((s % 2)) -eq 1 ]; then src="$work/rows-v2.jsonl"; else src="$work/rows.jsonl"; fi
    load recs "file:$src" >>"$work/swaps.txt"
  done
) &
swapper=$!
lua="$get_lua" wrk_run swap "$base/v1/tables/recs/u0" "$SWAP_SECONDS" "$server_pid"
wait "$swapper"
swapped="$(wc -l <"$work/swaps.txt")"
final_version="$(curl -fsS "$base/v1/tables/recs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["current"]["version"])')"

# --- the big table -----------------------------------------------------------------------------
log "loading $BIG_KEYS rows from a file the server reads (file:), the gateway's RSS before and after"
rss_before="$(rss_mib "$server_pid")"
heap_before="$(heap_mib "$server_pid")"
read -r big_rows big_s <<<"$(load big "file:$work/big.jsonl")"
rss_after="$(rss_mib "$server_pid")"
sleep 15
rss_settled="$(rss_mib "$server_pid")"
heap_after="$(heap_mib "$server_pid")"
big_disk="$(du -sm "$data_dir/tables/big" | awk '{ print $1 }')"
big_hit="$(curl -fsS "$base/v1/tables/big/u$((BIG_KEYS - 1))")"

# --- report ------------------------------------------------------------------------------------
machine="$(machine_line)"
out="$work/report.md"
{
  echo "## Tables: lookups through the gateway vs echo, loads, and a swap under load"
  echo
  echo "Machine: $machine"
  echo
  echo "Measured: flowhost.jar built $jar_built, checkout at $commit."
  echo
  echo "### Lookups ($KEYS-key table, random keys) vs echo, wrk -t$THREADS -c$CONNECTIONS, ${DURATION} s rounds"
  echo
  echo "| Round | lookups req/s | echo req/s | lookups/echo | lookup p50 ms | lookup p99 ms | echo p50 ms | echo p99 ms | gateway CPU lookups / echo |"
  echo "|------:|--------------:|-----------:|-------------:|--------------:|--------------:|------------:|------------:|---------------------------:|"
  errors=""
  for r in $(seq 1 "$ROUNDS"); do
    read -r l_rps l_p50 l_p99 l_reqs l_err <<<"$(wrk_parse "$work/lookup-$r.txt")"
    read -r e_rps e_p50 e_p99 e_reqs e_err <<<"$(wrk_parse "$work/echo-$r.txt")"
    awk -v r="$r" -v lr="$l_rps" -v er="$e_rps" -v l50="$l_p50" -v l99="$l_p99" -v e50="$e_p50" -v e99="$e_p99" \
        -v lc="$(cat "$work/lookup-$r.cpu")" -v ec="$(cat "$work/echo-$r.cpu")" \
      'BEGIN { printf "| %s | %d | %d | %.2f | %.3f | %.3f | %.3f | %.3f | %.2f / %.2f |\n", r, lr, er, lr / er, l50, l99, e50, e99, lc, ec }'
    if [ "$l_err" != "-" ]; then errors+="- round $r, lookups: $l_err (of $l_reqs)"$'\n'; fi
    if [ "$e_err" != "-" ]; then errors+="- round $r, echo: $e_err (of $e_reqs)"$'\n'; fi
  done
  echo
  if [ -n "$errors" ]; then printf 'wrk reported:\n\n%s\n' "$errors"; else echo "No socket error and no non-2xx in either."; fi
  echo
  echo "### Loads"
  echo
  echo "| Source | rows | seconds | rows/s |"
  echo "|---|--:|--:|--:|"
  echo "| JSON Lines artifact of a Metaflow run (server reads it) | $artifact_rows | $artifact_s | $(per_second "$artifact_rows" "$artifact_s") |"
  echo "| local JSON Lines file sent over HTTP in batches (flowhost table load) | $http_rows | $http_s | $(per_second "$http_rows" "$http_s") |"
  echo "| $BIG_KEYS-row JSON Lines file ($((big_bytes / 1048576)) MiB) the server reads (file:) | $big_rows | $big_s | $(per_second "$big_rows" "$big_s") |"
  echo
  echo "Gateway RSS: ${rss_start} MiB after start, ${rss_before} MiB before the $BIG_KEYS-row load, ${rss_after} MiB"
  echo "right after it, ${rss_settled} MiB 15 s later. Heap in use after a full GC: ${heap_before} MiB before, ${heap_after} MiB"
  echo "after (the rows are not on the heap). The table takes ${big_disk} MiB on disk; its last key answers:"
  echo "\`$big_hit\`."
  echo
  echo "### Latency at a fixed rate: $RATE requests/s over $CONNECTIONS connections (h2load), ${DURATION} s each"
  echo
  echo "| | requests | p50 ms | p99 ms | p99.9 ms | non-2xx |"
  echo "|---|--:|--:|--:|--:|--:|"
  echo "| lookups | $rl_n | $rl_p50 | $rl_p99 | $rl_p999 | $rl_bad |"
  echo "| echo | $re_n | $re_p50 | $re_p99 | $re_p999 | $re_bad |"
  echo
  echo "### Swap under load"
  echo
  read -r s_rps s_p50 s_p99 s_reqs s_err <<<"$(wrk_parse "$work/swap.txt")"
  echo "$s_reqs lookups in ${SWAP_SECONDS} s ($s_rps req/s, p50 $s_p50 ms, p99 $s_p99 ms) while $swapped versions were"
  echo "loaded ($KEYS rows each) and published (the table ended at version $final_version); failed lookups:"
  echo "$( [ "$s_err" = "-" ] && echo "**none** (no socket error, no non-2xx)" || echo "**$s_err**")."
  echo
  echo "Raw wrk output: bench/results/$(basename "$raw")"
} >"$out"
cp "$out" "$report"
cat "$out"
log "report written to $report"
