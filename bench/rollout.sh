#!/usr/bin/env bash
# Rollout cost benchmark: the echo example called through the gateway (a) with one version, (b) with a
# canary taking 10 % of calls (a 90/10 split, chosen per call), and (c) with a shadow getting a copy of 10 %
# of calls (sent after the primary's answer, compared, never waited for). Three servers on this machine,
# same run, rounds alternating a, b, c. Each deployment has exactly one instance (the canary's and the
# shadow's too). Targets (issue #14): b/a throughput >= 0.97; c/a throughput >= 0.95 with p50 at most
# 0.1 ms above a's. Prints a markdown report and keeps a copy in bench/results/rollout-<timestamp>.md
# (git-ignored; the raw wrk output goes next to it).
#
#   bash bench/rollout.sh                     2 rounds of 15 s each at 16 connections
#   ROUNDS=3 DURATION=30 bash bench/rollout.sh
#
# BASELINE_INSTANCES=2 gives (a) two instances, the capacity b and c have (their primary's instance plus
# the canary's or the shadow's), so the ratios read the routing's cost without the second JVM's.
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
BASELINE_INSTANCES="${BASELINE_INSTANCES:-1}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"
lua="$here/bench/echo-post.lua"
body='{"hello":"world","n":42}'

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers DURATION WARMUP CONNECTIONS ROUNDS THREADS QUIET_WAIT BASELINE_INSTANCES
bench_setup rollout
bench_files rollout

# --- three servers: single ($server_pid, stopped by lib.sh), split and shadow (stopped by on_exit) ------
split_pid=""
shadow_pid=""
on_exit() {
  for pid in $split_pid $shadow_pid; do
    kill "$pid" 2>/dev/null || true
    await_exit "$pid" 150 || kill -9 "$pid" 2>/dev/null || true
  done
}

single_port="$(free_port)"
split_port="$(free_port)"
shadow_port="$(free_port)"
single="http://127.0.0.1:$single_port"
split="http://127.0.0.1:$split_port"
shadow="http://127.0.0.1:$shadow_port"
mkdir -p "$work/single" "$work/split" "$work/shadow"

log "starting three servers: one version $single, a 90/10 split $split, a 10 % shadow $shadow"
data_dir="$work/single"
"${java[@]}" -jar "$jar" server --port "$single_port" --data-dir "$work/single" >"$work/single/server.log" 2>&1 &
server_pid=$!
"${java[@]}" -jar "$jar" server --port "$split_port" --data-dir "$work/split" >"$work/split/server.log" 2>&1 &
split_pid=$!
"${java[@]}" -jar "$jar" server --port "$shadow_port" --data-dir "$work/shadow" >"$work/shadow/server.log" 2>&1 &
shadow_pid=$!
await_healthz "$single"
server_pid=$split_pid await_healthz "$split"
server_pid=$shadow_pid await_healthz "$shadow"

# A fixed number of instances per deployment (one unless told), each taking every connection's call at once
# (as in bench/gateway.sh).
deploy_echo() { # URL INSTANCES [CLI_OPTION...]
  "${java[@]}" -jar "$jar" deploy "$echo_jar" --server "$1" "${@:3}" --min-instances "$2" --max-instances "$2" \
    --max-concurrency "$((CONNECTIONS * 2))" --target-in-flight "$((CONNECTIONS * 2))" >&2
}
log "deploying echo to each, then a canary at 10 % to the second and a shadow at 10 % to the third"
deploy_echo "$single" "$BASELINE_INSTANCES"
deploy_echo "$split" 1
deploy_echo "$shadow" 1
# Guardrails that never fire here: the point is the routing's cost, not a rollback in mid-run.
deploy_echo "$split" 1 --canary 10 --min-calls 1000000000
deploy_echo "$shadow" 1 --shadow 10 --min-calls 1000000000

for base in "$single" "$split" "$shadow"; do
  code="$(curl -sS -o "$work/answer" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      --data "$body" "$base/v1/services/echo/echo")"
  if [ "$code" != "200" ]; then
    echo "POST $base/v1/services/echo/echo answered $code: $(cat "$work/answer")" >&2
    exit 1
  fi
done

# --- load --------------------------------------------------------------------------------------

path=/v1/services/echo/echo
log "warm-up ${WARMUP}s each"
wrk_run warm-single "$single$path" "$WARMUP" "$server_pid"
wrk_run warm-split "$split$path" "$WARMUP" "$split_pid"
wrk_run warm-shadow "$shadow$path" "$WARMUP" "$shadow_pid"
for r in $(seq 1 "$ROUNDS"); do
  for kind in single split shadow; do
    log "round $r: $kind, ${DURATION}s"
    wait_quiet
    case "$kind" in
      single) wrk_run "single-$r" "$single$path" "$DURATION" "$server_pid" ;;
      split) wrk_run "split-$r" "$split$path" "$DURATION" "$split_pid" ;;
      shadow) wrk_run "shadow-$r" "$shadow$path" "$DURATION" "$shadow_pid" ;;
    esac
  done
done

# What the split and the shadow did with the calls: each version's count, and the shadow's copies.
curl -fsS "$split/v1/rollouts/echo" >"$work/split-status.json"
curl -fsS "$shadow/v1/rollouts/echo" >"$work/shadow-status.json"
shares="$(python3 - "$work/split-status.json" "$work/shadow-status.json" <<'EOF'
import json, sys
split = json.load(open(sys.argv[1]))
v = split["versions"]
total = sum(x["calls"] for x in v)
canary = next(x for x in v if x["variant"] == "canary")
print(f"the canary answered {canary['calls']} of the last 5 minutes' {total} calls ({100.0 * canary['calls'] / max(total, 1):.1f} %)")
shadow = json.load(open(sys.argv[2]))
s = next(x for x in shadow["versions"] if x["variant"] == "shadow")
p = next(x for x in shadow["versions"] if x["variant"] == "primary")
print(f"the shadow got {s.get('compared') or 0} copies compared ({100.0 * (s.get('agreement') or 0):.1f} % agreeing) and"
      f" {s.get('dropped') or 0} dropped, against the primary's {p['calls']} calls of the last 5 minutes")
EOF
)"

# --- report ------------------------------------------------------------------------------------
machine="$(machine_line)"

out="$work/report.md"
{
  echo "## Rollouts: echo through the gateway, one version (a) vs a 90/10 canary split (b) vs a 10 % shadow (c)"
  echo
  echo "Machine: $machine"
  echo
  echo "Measured: flowhost.jar built $jar_built, checkout at $commit."
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS, ${WARMUP} s warm-up each (discarded), ${DURATION} s measured, rounds alternating"
  echo "a, b, c; POST $body (Content-Type: application/json) to $path. Instances: (a)'s deployment"
  echo "$BASELINE_INSTANCES, every other deployment 1."
  echo
  echo "| Round | a req/s | b req/s | c req/s | b/a | c/a | a p50 ms | b p50 ms | c p50 ms | c-a p50 ms | a p99 ms | b p99 ms | c p99 ms | a CPU | b CPU | c CPU |"
  echo "|------:|--------:|--------:|--------:|----:|----:|---------:|---------:|---------:|-----------:|---------:|---------:|---------:|------:|------:|------:|"
  errors=""
  for r in $(seq 1 "$ROUNDS"); do
    read -r a_rps a_p50 a_p99 a_reqs a_err <<<"$(wrk_parse "$work/single-$r.txt")"
    read -r b_rps b_p50 b_p99 b_reqs b_err <<<"$(wrk_parse "$work/split-$r.txt")"
    read -r c_rps c_p50 c_p99 c_reqs c_err <<<"$(wrk_parse "$work/shadow-$r.txt")"
    if [ "$a_rps" = "FAILED" ] || [ "$b_rps" = "FAILED" ] || [ "$c_rps" = "FAILED" ]; then
      echo "| $r | wrk failed: see $raw | | | | | | | | | | | | | | |"
      continue
    fi
    awk -v r="$r" -v ar="$a_rps" -v br="$b_rps" -v cr="$c_rps" -v a50="$a_p50" -v b50="$b_p50" -v c50="$c_p50" \
        -v a99="$a_p99" -v b99="$b_p99" -v c99="$c_p99" \
        -v ac="$(cat "$work/single-$r.cpu")" -v bc="$(cat "$work/split-$r.cpu")" -v cc="$(cat "$work/shadow-$r.cpu")" \
      'BEGIN { printf "| %s | %d | %d | %d | %.2f | %.2f | %.3f | %.3f | %.3f | %+.3f | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f |\n",
               r, ar, br, cr, br / ar, cr / ar, a50, b50, c50, c50 - a50, a99, b99, c99, ac, bc, cc }'
    if [ "$a_err" != "-" ]; then errors+="  - round $r, one version: $a_err (of $a_reqs requests)"$'\n'; fi
    if [ "$b_err" != "-" ]; then errors+="  - round $r, split: $b_err (of $b_reqs requests)"$'\n'; fi
    if [ "$c_err" != "-" ]; then errors+="  - round $r, shadow: $c_err (of $c_reqs requests)"$'\n'; fi
  done
  echo
  echo "Notes:"
  echo
  if [ -n "$errors" ]; then
    echo "- wrk reported errors:"
    printf '%s' "$errors"
  else
    echo "- wrk reported no socket errors and no non-2xx responses."
  fi
  while IFS= read -r line; do echo "- $line."; done <<<"$shares"
  echo "- CPU: the gateway process's, in cores (of $(nproc)), from /proc; wrk, the instances and the gateway"
  echo "  share the same cores, so the shadow's copies (and its instance answering them) come out of everyone's"
  echo "  budget: that is the cost measured."
  echo "- Raw wrk output: bench/results/$(basename "$raw")"
} >"$out"

cp "$out" "$report"
cat "$out"
log "report written to $report"
