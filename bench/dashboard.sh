#!/usr/bin/env bash
# Dashboard benchmark (#18), two questions, one server:
#  1. How fast do the pages render with 100 deployments and a full history (360 points each)? Each page loaded
#     LOADS times in headless Chromium; from navigation start to the page drawn with its data.
#  2. Does a dashboard open and following live cost the gateway? Gateway throughput (echo, wrk) with one browser's
#     tab blank (a) and on the busiest page (one deployment: four charts, refreshed every 2 s) (b), in short runs
#     alternating ab, ba, ... ROUNDS times, so that the machine's drift (this 2-core VM's throughput wanders by a
#     quarter over minutes) falls on both alike; b/a per round and their median.
# Prints a markdown report and keeps a copy in bench/results/dashboard-<timestamp>.md.
#
#   bash bench/dashboard.sh     ROUNDS=30 DURATION=5 WARMUP=15 CONNECTIONS=16 DEPLOYMENTS=100 LOADS=10 PARTS="render throughput"
#
# The throughput server has the defaults (a point every 10 s). The render server samples its history every second
# (--history-every 1s) so that 360 points, the hour kept at the default of 10 s, fill in six minutes; a page draws
# the same number of points either way.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

ROUNDS="${ROUNDS:-30}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-15}"
CONNECTIONS="${CONNECTIONS:-16}"
DEPLOYMENTS="${DEPLOYMENTS:-100}"
LOADS="${LOADS:-10}"
PARTS="${PARTS:-render throughput}"
THREADS="${THREADS:-2}"
QUIET_WAIT="${QUIET_WAIT:-30}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"
model="$here/flowhost-onnx/src/test/resources/iris.onnx"
lua="$here/bench/echo-post.lua"

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers ROUNDS DURATION WARMUP CONNECTIONS DEPLOYMENTS LOADS THREADS QUIET_WAIT
bench_setup dashboard
for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null 2>&1 || bash "$here/bin/ensure-test-tools.sh"
done

# The browser half is a program among the server's test classes (Selenium is a test dependency).
log "compiling the browser half (flowhost-server's test classes) and resolving its class path"
./mvnw -B -q -o test-compile -pl flowhost-server -Dspotless.check.skip=true >&2 \
  || ./mvnw -B -q test-compile -pl flowhost-server -Dspotless.check.skip=true >&2
./mvnw -B -q -o dependency:build-classpath -pl flowhost-server -Dmdep.includeScope=test \
  -Dmdep.outputFile="$here/flowhost-server/target/bench-classpath.txt" >&2
browser_cp="$here/flowhost-server/target/test-classes:$here/flowhost-server/target/classes:$(cat "$here/flowhost-server/target/bench-classpath.txt")"
browser() { "${java[@]}" -cp "$browser_cp" io.flowhost.server.DashboardBench "$@"; }

bench_files dashboard
models="$work/models"
mkdir -p "$models"
cp "$model" "$models/iris.onnx"

# start_server NAME EXTRA...: a server on a free port in a fresh data dir under $work, echo deployed on one instance
# (as bench/gateway.sh does); sets gateway, data_dir and server_pid.
start_server() {
  data_dir="$work/data-$1"
  mkdir -p "$data_dir"
  port="$(free_port)"
  gateway="http://127.0.0.1:$port"
  log "starting a server on port $port ${*:2}"
  "${java[@]}" -jar "$jar" server --port "$port" --data-dir "$data_dir" --artifact-root "$models" "${@:2}" \
    >"$data_dir/server.log" 2>&1 &
  server_pid=$!
  await_healthz "$gateway"
  "${java[@]}" -jar "$jar" deploy "$echo_jar" --server "$gateway" --min-instances 1 --max-instances 1 \
    --max-concurrency "$((CONNECTIONS * 2))" --target-in-flight "$((CONNECTIONS * 2))" >&2
}

if [[ " $PARTS " == *" render "* ]]; then
# --- 1. render times with every deployment's history full ----------------------------------------------------------
start_server render --history-every 1s
others=$((DEPLOYMENTS - 1))
log "deploying $others more: the iris ONNX model under $others names, each back at zero 1 s after its deploy"
started="$(date +%s)"
for i in $(seq 1 "$others"); do
  printf 'model-%03d\n' "$i"
done | xargs -P 4 -I{} "${java[@]}" -jar "$jar" deploy --onnx "file:$models/iris.onnx" --name {} \
  --server "$gateway" --min-instances 0 --idle-timeout 1s >/dev/null
log "deployed $others models in $(($(date +%s) - started)) s"
count="$(curl -fsS "$gateway/v1/deployments" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["deployments"]))')"
[ "$count" -eq "$DEPLOYMENTS" ] || { echo "expected $DEPLOYMENTS deployments, the server lists $count" >&2; exit 1; }

log "waiting for every deployment's history to hold 360 points (one a second)"
for _ in $(seq 1 900); do
  short="$(curl -fsS "$gateway/v1/history" | python3 -c '
import json, sys
h = json.load(sys.stdin)["deployments"]
print(sum(1 for d in h.values() if len(d["callsPerSecond"]) < 360) + max(0, '"$DEPLOYMENTS"' - len(h)))')"
  [ "$short" -eq 0 ] && break
  sleep 2
done
[ "$short" -eq 0 ] || { echo "$short deployments still lack 360 points" >&2; exit 1; }
# calls in the log and a little traffic in the last minute, so every page has rows to draw
wrk -t1 -c4 -d5s -s "$lua" "$gateway/v1/services/echo/echo" >/dev/null 2>&1 || log "wrk failed to add traffic; rendering anyway"
pages=(/ui /ui/deployments/echo-v1 /ui/queue /ui/alerts /ui/log)
log "rendering each page $LOADS times"
browser render "$gateway" "$LOADS" "${pages[@]}" >"$work/render.txt"

stop_server

fi

if [[ " $PARTS " == *" throughput "* ]]; then
start_server throughput

# --- 2. gateway throughput, dashboard closed (a) and open (b) -----------------------------------------------------
# One browser for the whole run, driven through a coprocess: (a) its tab on about:blank, (b) on the page, following
# live; so the two differ only by the page. Rounds alternate the order (ab, ba, ab, ...).
coproc DRIVER { browser drive "$gateway" 2>"$work/driver.err"; }
driver_pid=$DRIVER_PID
on_exit() { kill "$driver_pid" 2>/dev/null; true; }
ask() { echo "$1" >&"${DRIVER[1]}"; read -r -t 120 answer <&"${DRIVER[0]}" || { cat "$work/driver.err" >&2; exit 1; }; }
read -r -t 120 answer <&"${DRIVER[0]}" || { cat "$work/driver.err" >&2; echo "the browser did not start" >&2; exit 1; }
browser_ticks() { # user + system ticks of every Chromium and chromedriver process now
  local t=0 p
  for p in $(pgrep -f 'chromium|chromedriver' || true); do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
# run_case NAME: one measured run, the browser's CPU beside the server's
run_case() {
  local b0 b1 t0 t1
  b0="$(browser_ticks)"; t0="$(date +%s.%N)"
  wrk_run "$1" "$url" "$DURATION" "$server_pid"
  b1="$(browser_ticks)"; t1="$(date +%s.%N)"
  awk -v b="$((b1 - b0))" -v t0="$t0" -v t1="$t1" -v hz="$clk_tck" 'BEGIN { printf "%.2f\n", b / ((t1 - t0) * hz) }' \
    >"$work/$1.browser"
}

url="$gateway/v1/services/echo/echo"
log "warm-up ${WARMUP}s"
wrk_run "warm" "$url" "$WARMUP" "$server_pid"
wait_quiet
for r in $(seq 1 "$ROUNDS"); do
  order="closed open"
  [ $((r % 2)) -eq 0 ] && order="open closed"
  for case in $order; do
    if [ "$case" = open ]; then
      ask "open /ui/deployments/echo-v1"
      [ "$answer" = open ] || { echo "the browser answered '$answer' to open" >&2; exit 1; }
      log "round $r: (b) /ui/deployments/echo-v1 open and following live, ${DURATION}s"
      run_case "open-$r"
      ask "close"
      echo "${answer#closed }" >"$work/refreshes-$r.txt"
    else
      log "round $r: (a) dashboard closed (the browser's tab blank), ${DURATION}s"
      run_case "closed-$r"
    fi
  done
done
echo quit >&"${DRIVER[1]}"
wait "$driver_pid" 2>/dev/null || true

fi

# --- report -------------------------------------------------------------------------------------------------------
out="$work/report.md"
{
  echo "## Dashboard: gateway throughput with it open, and page render times"
  echo
  echo "Machine: $(machine_line)"
  echo
  echo "Measured: flowhost.jar built $jar_built, checkout at $commit."
  echo
  if [[ " $PARTS " == *" throughput "* ]]; then
  echo "### Gateway throughput, dashboard closed (a) vs open and following live (b)"
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS, ${WARMUP} s warm-up, ${DURATION} s each, POST to /v1/services/echo/echo; one"
  echo "headless Chromium on the same $(nproc) cores throughout: (a) its tab blank, (b) on /ui/deployments/echo-v1"
  echo "(four charts, refreshing every 2 s). CPU in cores (server and browser: user + system, from /proc)."
  echo
  echo "| Round | order | a req/s | b req/s | b/a | a p50 ms | b p50 ms | server CPU a / b | browser CPU a / b | page refreshes |"
  echo "|------:|-------|--------:|--------:|----:|---------:|---------:|-----------------:|------------------:|---------------:|"
  for r in $(seq 1 "$ROUNDS"); do
    read -r a_rps a_p50 _ <<<"$(wrk_parse "$work/closed-$r.txt")"
    read -r b_rps b_p50 _ <<<"$(wrk_parse "$work/open-$r.txt")"
    awk -v r="$r" -v o="$([ $((r % 2)) -eq 0 ] && echo ba || echo ab)" -v ar="$a_rps" -v br="$b_rps" \
      -v a50="$a_p50" -v b50="$b_p50" -v ac="$(cat "$work/closed-$r.cpu")" -v bc="$(cat "$work/open-$r.cpu")" \
      -v aw="$(cat "$work/closed-$r.browser")" -v bw="$(cat "$work/open-$r.browser")" \
      -v n="$(cat "$work/refreshes-$r.txt")" \
      'BEGIN { printf "| %d | %s | %d | %d | %.3f | %.3f | %.3f | %.2f / %.2f | %.2f / %.2f | %s |\n",
               r, o, ar, br, br / ar, a50, b50, ac, bc, aw, bw, n }'
  done
  echo
  for r in $(seq 1 "$ROUNDS"); do
    read -r a_rps _ <<<"$(wrk_parse "$work/closed-$r.txt")"
    read -r b_rps _ <<<"$(wrk_parse "$work/open-$r.txt")"
    awk -v a="$a_rps" -v b="$b_rps" 'BEGIN { printf "%.3f\n", b / a }'
  done | sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "Median b/a over the %d rounds: **%.3f** (lowest %.3f, highest %.3f).\n", NR, m, v[1], v[NR] }'
  echo
  fi
  if [[ " $PARTS " == *" render "* ]]; then
  echo "### Page render times, $DEPLOYMENTS deployments, 360 points each"
  echo
  echo "A second server: echo and $others ONNX models (at zero), a point every 1 s."
  echo
  echo "From navigation start to the page drawn with its data (ui.js's data-rendered-ms), $LOADS loads each"
  echo "after one to warm the browser's cache:"
  echo
  echo "| Page | p50 ms | max ms |"
  echo "|------|-------:|-------:|"
  while read -r page p50 max n; do
    echo "| $page | $p50 | $max |"
  done <"$work/render.txt"
  fi
  echo
  echo "Notes:"
  echo
  echo "- The browser shares the machine with wrk, the gateway and the instance, so (b) also pays for the"
  echo "  browser's own CPU drawing the page (browser CPU b − a); a dashboard is usually open on another machine."
  echo "- Raw wrk output: bench/results/$(basename "$raw")"
} >"$out"

cp "$out" "$report"
cat "$out"
log "report written to $report"
