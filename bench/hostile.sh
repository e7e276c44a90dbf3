#!/usr/bin/env bash
# Memory under three attacks the hostile-input probe found (issue "Hostile input", item 3): the
# server's resident memory added while (a) one chunked body of CHUNKED_MIB MiB is sent to an endpoint
# (its limit is 16 MiB), (b) HELD_CALLS calls of CALL_MIB MiB wait, held, for a busy instance, and
# (c) PIPELINED_CALLS calls of CALL_MIB MiB are pipelined on one connection behind a busy one.
# Each attack gets a fresh server. Prints a markdown report and keeps a copy in bench/results/.
#
#   bash bench/hostile.sh                                   this checkout's build
#   FLOWHOST_JAR=/other/flowhost.jar bash bench/hostile.sh  another build, for a before/after pair
#
# Knobs: CHUNKED_MIB (200), HELD_CALLS (40), PIPELINED_CALLS (60), CALL_MIB (8).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

CHUNKED_MIB="${CHUNKED_MIB:-200}"
HELD_CALLS="${HELD_CALLS:-40}"
PIPELINED_CALLS="${PIPELINED_CALLS:-60}"
CALL_MIB="${CALL_MIB:-8}"
QUIET_WAIT="${QUIET_WAIT:-30}"
jar="${FLOWHOST_JAR:-$here/flowhost-cli/target/flowhost.jar}"
echo_jar="$here/examples/echo/target/echo-service.jar"

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers CHUNKED_MIB HELD_CALLS PIPELINED_CALLS CALL_MIB QUIET_WAIT
bench_setup hostile
bench_files hostile

log "building the sleepy service (bench/services/SleepyService.java) against $jar"
mkdir -p "$work/sleepy"
"$JAVA_HOME/bin/javac" --release 21 -cp "$jar" -d "$work/sleepy" "$here/bench/services/SleepyService.java"
(cd "$work/sleepy" && "$JAVA_HOME/bin/jar" --create --file "$work/sleepy.jar" .)

run_attack() { # name, python args...: a fresh server, one busy call, the attack, its JSON line
  local name=$1; shift
  data_dir="$work/data-$name"
  mkdir -p "$data_dir"
  port="$(free_port)"
  "${java[@]}" -jar "$jar" server --port "$port" --data-dir "$data_dir" >"$data_dir/server.log" 2>&1 &
  server_pid=$!
  await_healthz "http://127.0.0.1:$port"
  curl -fsS -o /dev/null -H 'Content-Type: application/java-archive' --data-binary "@$work/sleepy.jar" \
    "http://127.0.0.1:$port/v1/deployments?min-instances=1&max-instances=1&max-concurrency=1&target-in-flight=1&max-held=1000"
  # One call that keeps the only instance busy for a minute: every attack's calls wait behind it.
  curl -sS -o /dev/null -m 90 -H 'Content-Type: application/json' -d '{"ms": 60000}' \
    "http://127.0.0.1:$port/v1/services/sleepy/sleep" &
  sleep 1
  wait_quiet
  python3 "$here/bench/hostile.py" "$1" "$port" "$server_pid" "${@:2}" >>"$work/results.jsonl"
  stop_server
}

run_attack chunked chunked "$CHUNKED_MIB"
run_attack held held "$HELD_CALLS" "$CALL_MIB"
run_attack pipelined pipelined "$PIPELINED_CALLS" "$CALL_MIB"

which_jar="this checkout's flowhost.jar"
[[ -n "${FLOWHOST_JAR:-}" ]] && which_jar="$FLOWHOST_JAR"
python3 - "$work/results.jsonl" "$jar_built" "$commit" "$which_jar" >"$report" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"Memory under attack: {sys.argv[4]}, built {sys.argv[2]} (this checkout at {sys.argv[3]}).\n")
print("| attack | server RSS before, MiB | peak, MiB | added, MiB | what the attacker saw |")
print("|---|--:|--:|--:|---|")
for r in rows:
    saw = {k: v for k, v in r.items() if k not in ("attack", "rss_before_mib", "rss_peak_mib", "rss_added_mib")}
    print(f"| {r['attack']} | {r['rss_before_mib']} | {r['rss_peak_mib']} | {r['rss_added_mib']} | {saw} |")
PY
cat "$report"
log "report written to $report"
