#!/usr/bin/env bash
# Token checks benchmark: the echo example through the gateway with every call carrying an invoke-scoped
# token, (a) to a deployment that does not ask for one and (b) to the same service redeployed with
# --require-token, which checks the token on every call. Alternating rounds, one server, one run, so that
# the ratio b/a is measured under the same conditions. Prints a markdown report and keeps a copy in
# bench/results/tokens-<timestamp>.md (git-ignored; the raw wrk output goes next to it).
#
#   bash bench/tokens.sh                  two rounds of 15 s measured runs each way
#   ROUNDS=3 DURATION=20 bash bench/tokens.sh
#
# Other knobs: WARMUP (seconds, default 5), CONNECTIONS (default 16), THREADS (wrk -t, default 2),
# QUIET_WAIT (seconds to wait, before each measured run, for other processes to stop using the CPU; default 30).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
CONNECTIONS="${CONNECTIONS:-16}"
ROUNDS="${ROUNDS:-2}"
THREADS="${THREADS:-2}"
QUIET_WAIT="${QUIET_WAIT:-30}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers DURATION WARMUP CONNECTIONS ROUNDS THREADS QUIET_WAIT
bench_setup tokens
bench_files tokens
data_dir="$work/data"
mkdir -p "$data_dir"

port="$(free_port)"
gateway="http://127.0.0.1:$port"
log "starting the server on port $port (data dir $data_dir)"
"${java[@]}" -jar "$jar" server --port "$port" --data-dir "$data_dir" >"$data_dir/server.log" 2>&1 &
server_pid=$!
await_healthz "$gateway"

flowhost() { "${java[@]}" -jar "$jar" "$@"; }
log "making an admin token and an invoke:echo token"
admin="$(flowhost tokens create --scope admin --name bench-admin --server "$gateway" 2>/dev/null)"
export FLOWHOST_TOKEN="$admin"
caller="$(flowhost tokens create --scope invoke:echo --name bench-caller --server "$gateway" 2>/dev/null)"

# deploy [--require-token]: (re)deploys echo with one instance that takes every connection's call at once.
deploy() {
  flowhost deploy "$echo_jar" --server "$gateway" --min-instances 1 --max-instances 1 \
    --max-concurrency "$((CONNECTIONS * 2))" --target-in-flight "$((CONNECTIONS * 2))" "$@" >&2
}

# The same request both ways, token included: (a) passes it on unread, (b) checks it.
lua="$work/post-with-token.lua"
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = '{"hello":"world","n":42}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $caller"
LUA
url="$gateway/v1/services/echo/echo"

wrk_run() { # NAME SECONDS
  echo "===== $1: wrk -t$THREADS -c$CONNECTIONS -d${2}s --latency $url" >>"$raw"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency -s "$lua" "$url" >"$work/$1.txt" 2>&1 \
    || log "wrk exited with status $? for $1 (see the raw output)"
  cat "$work/$1.txt" >>"$raw"
}

expect() { # STATUS [TOKEN]: one call, which must answer STATUS
  local answer
  answer="$(curl -sS -o "$work/answer" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      ${2:+-H "Authorization: Bearer $2"} --data '{"n":1}' "$url")"
  if [ "$answer" != "$1" ]; then
    echo "POST $url answered $answer, expected $1: $(cat "$work/answer")" >&2
    exit 1
  fi
}

for r in $(seq 1 "$ROUNDS"); do
  for mode in off on; do
    if [ "$mode" = on ]; then deploy --require-token; expect 401; else deploy; fi
    expect 200 "$caller"
    log "round $r, token checks $mode: warm-up ${WARMUP}s, then ${DURATION}s measured"
    wrk_run "warm-$mode-$r" "$WARMUP"
    wait_quiet
    wrk_run "$mode-$r" "$DURATION"
  done
done

# --- report ------------------------------------------------------------------------------------
machine="$(machine_line)"
out="$work/report.md"
{
  echo "## Token checks: echo through the gateway, token sent and unread (a) vs checked on every call (b)"
  echo
  echo "Machine: $machine"
  echo
  echo "Measured: flowhost.jar built $jar_built, checkout at $commit. wrk -t$THREADS -c$CONNECTIONS, ${WARMUP} s"
  echo "warm-up per run (discarded), ${DURATION} s measured, rounds alternating a and b on one server."
  echo
  echo "| Round | a req/s | b req/s | b/a | a p50 ms | b p50 ms | a p99 ms | b p99 ms |"
  echo "|------:|--------:|--------:|----:|---------:|---------:|---------:|---------:|"
  sum_a=0; sum_b=0; errors=""
  for r in $(seq 1 "$ROUNDS"); do
    read -r a_rps a_p50 a_p99 a_reqs a_err <<<"$(wrk_parse "$work/off-$r.txt")"
    read -r b_rps b_p50 b_p99 b_reqs b_err <<<"$(wrk_parse "$work/on-$r.txt")"
    if [ "$a_rps" = FAILED ] || [ "$b_rps" = FAILED ]; then
      echo "| $r | wrk failed: see $raw | | | | | | |"; errors+=" round $r: wrk failed;"; continue
    fi
    awk -v r="$r" -v ar="$a_rps" -v br="$b_rps" -v a50="$a_p50" -v b50="$b_p50" -v a99="$a_p99" -v b99="$b_p99" \
      'BEGIN { printf "| %s | %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f |\n", r, ar, br, br / ar, a50, b50, a99, b99 }'
    sum_a=$((sum_a + a_rps)); sum_b=$((sum_b + b_rps))
    [ "$a_err" != "-" ] && errors+=" round $r (a): $a_err;"
    [ "$b_err" != "-" ] && errors+=" round $r (b): $b_err;"
  done
  if [ "$sum_a" -gt 0 ]; then
    awk -v a="$sum_a" -v b="$sum_b" 'BEGIN { printf "| all | %d | %d | **%.3f** | | | | |\n", a, b, b / a }'
  fi
  echo
  echo "- Errors or non-2xx responses:${errors:- none.}"
  echo "- (b) hashes the token (SHA-256) on every call and believes what the store said of it for a second;"
  echo "  the store itself is asked about once a second."
  echo "- Raw wrk output: bench/results/$(basename "$raw")"
} >"$out"
cp "$out" "$report"
cat "$out"
log "report written to $report"
