#!/usr/bin/env bash
# Durable async submits per second with each state store, measured in one sitting (issue #11): the same
# server and load as part 1 of bench/async.sh (wrk, 64 connections, POST with Prefer: respond-async, a
# 202 only once the request is committed), once with SQLite under the data dir, once with
# --state postgresql://..., and once with two gateways on that database (the second following the first;
# wrk's connections split between them, each gateway's rate summed), alternating ROUNDS times so that a
# drift of the machine hits every setup alike.
# PostgreSQL is a cluster of this script's own (Debian's binaries, in a temp dir, default settings:
# fsync and synchronous_commit on), as the postgres user when run as root. After each run the rows in
# the store are counted: every 202 must be there.
#
#   bash bench/async-state.sh                 2 rounds of 15 s each per store
#   ROUNDS=3 DURATION=30 bash bench/async-state.sh
#
# Other knobs: WARMUP (seconds of wrk before each measured run, default 5), CONNECTIONS (64),
# THREADS (wrk -t, 2), QUIET_WAIT (seconds to wait for an idle machine before each run, 30),
# DRAIN_SECONDS (10: after each run, the backlog it left is watched this long, to say how fast the
# dispatcher runs queued requests with nothing else submitting).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-15}"
DURATION="${DURATION%s}"
WARMUP="${WARMUP:-5}"
WARMUP="${WARMUP%s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
QUIET_WAIT="${QUIET_WAIT:-30}"
DRAIN_SECONDS="${DRAIN_SECONDS:-10}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"
lua="$here/bench/async-post.lua"

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
MAY_BE_ZERO="QUIET_WAIT WARMUP" whole_numbers ROUNDS DURATION WARMUP CONNECTIONS THREADS QUIET_WAIT DRAIN_SECONDS
bench_setup async-state
bench_files async-state

# --- a PostgreSQL cluster of our own (bench/lib.sh) ---------------------------------------------
start_postgres

# rows STORE DB DATA_DIR: how many requests the store holds now.
rows() {
  count "$1" "$2" "$3" ""
}

# count STORE DB DATA_DIR WHERE: how many requests the store holds that match WHERE (all when empty).
count() {
  if [ "$1" = postgresql ]; then
    psql_at "$2" "SELECT count(*) FROM requests $4"
  else
    python3 -c 'import sqlite3, sys
print(sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=30).execute("SELECT COUNT(*) FROM requests " + sys.argv[2]).fetchone()[0])' \
        "$3/requests.db" "$4"
  fi
}

# wait_wrk: waits for the wrk runs started in the background (not for the servers).
wait_wrk() {
  local pid
  for pid in $(jobs -p); do
    [ "$pid" = "$server_pid" ] && continue
    [ -n "${second_pid:-}" ] && [ "$pid" = "$second_pid" ] && continue
    wait "$pid" || log "wrk exited with status $?"
  done
}

# --- one measured run -------------------------------------------------------------------------------
# run STORE ROUND: a fresh server (and data dir, and database), echo deployed with one instance, a warm-up,
# the measured wrk run; appends "store round rps p50 p99 accepted non202 stored" to $work/runs, stored
# being the rows the measured run added (every 202 must be one).
run() {
  local store="$1" round="$2" state_args=() db="" data_dir gateways=1
  if [ "$store" = postgresql-x2 ]; then
    store=postgresql
    gateways=2
  fi
  data_dir="$work/$store-$round"
  mkdir -p "$data_dir"
  if [ "$store" = postgresql ]; then
    db="bench_${round}_$gateways"
    new_database "$db"
    state_args=(--state "$state")
  fi
  local port
  port="$(free_port)"
  server="http://127.0.0.1:$port"
  "${java[@]}" -jar "$jar" server --port "$port" --data-dir "$data_dir" "${state_args[@]}" \
      >"$data_dir/server.log" 2>&1 &
  server_pid=$!
  await_healthz "$server"
  local second="" second_pid=""
  if [ "$gateways" = 2 ]; then
    local port2
    port2="$(free_port)"
    second="http://127.0.0.1:$port2"
    mkdir -p "$data_dir-second"
    "${java[@]}" -jar "$jar" server --port "$port2" --data-dir "$data_dir-second" "${state_args[@]}" \
        >"$data_dir-second/server.log" 2>&1 &
    second_pid=$!
    server_pid=$second_pid await_healthz "$second"
  fi
  local status
  status="$(curl -sS -o "$work/deploy.json" -w '%{http_code}' --data-binary "@$echo_jar" \
      -H 'Content-Type: application/java-archive' \
      "$server/v1/deployments?max-queued=10000000&max-instances=1&min-instances=1")"
  [ "$status" = 201 ] || { echo "deploy answered $status: $(cat "$work/deploy.json")" >&2; exit 1; }

  local targets=("$server")
  [ -n "$second" ] && targets+=("$second")
  local connections=$(( CONNECTIONS / ${#targets[@]} )) threads=$(( (THREADS + ${#targets[@]} - 1) / ${#targets[@]} ))
  if [ "$WARMUP" -gt 0 ]; then
    for target in "${targets[@]}"; do
      wrk -t"$threads" -c"$connections" -d"${WARMUP}s" -s "$lua" "$target/v1/services/echo/echo" >/dev/null 2>&1 &
    done
    wait_wrk
  fi
  wait_quiet
  local before
  before="$(rows "$store" "$db" "$data_dir")"
  local name="$store"
  [ "$gateways" = 2 ] && name="postgresql-x2"
  local out="$work/$name-$round.txt" i=0
  echo "===== $name round $round: ${#targets[@]} x wrk -t$threads -c$connections -d${DURATION}s --latency" >>"$raw"
  for target in "${targets[@]}"; do
    i=$(( i + 1 ))
    wrk -t"$threads" -c"$connections" -d"${DURATION}s" --latency -s "$lua" "$target/v1/services/echo/echo" \
        >"$out.$i" 2>&1 &
  done
  wait_wrk
  : >"$out"
  for i in $(seq 1 "${#targets[@]}"); do cat "$out.$i" >>"$out"; done
  cat "$out" >>"$raw"

  local stored
  stored=$(( $(rows "$store" "$db" "$data_dir") - before ))
  # How fast the backlog the run left is run: requests finished over DRAIN_SECONDS, once wrk has stopped.
  local done0 done1
  done0="$(count "$store" "$db" "$data_dir" "WHERE state = 'SUCCEEDED'")"
  sleep "$DRAIN_SECONDS"
  done1="$(count "$store" "$db" "$data_dir" "WHERE state = 'SUCCEEDED'")"
  drain=$(( (done1 - done0) / DRAIN_SECONDS ))
  if [ -n "$second_pid" ]; then
    kill "$second_pid" 2>/dev/null || true
    await_exit "$second_pid" 150 || kill -9 "$second_pid" 2>/dev/null || true
    wait "$second_pid" 2>/dev/null || true
  fi
  stop_server
  # With two gateways: their rates and answers summed, the slower one's latencies.
  awk -v store="$name" -v round="$round" -v stored="$stored" -v drain="$drain" "$WRK_MS"'
    /^ +50% / { if (ms($2) > p50) p50 = ms($2) }
    /^ +99% / { if (ms($2) > p99) p99 = ms($2) }
    /^Requests\/sec:/ { rps += $2 }
    /^async-answers:/ { split($2, a, "="); split($3, b, "="); acc += a[2]; non += b[2] }
    END { printf "%s %s %.0f %.2f %.2f %s %s %s %s\n", store, round, rps, p50, p99, acc, non, stored, drain }' \
    "$out" >>"$work/runs"
  log "$(tail -n 1 "$work/runs")"
}

: >"$work/runs"
for round in $(seq 1 "$ROUNDS"); do
  run sqlite "$round"
  run postgresql "$round"
  run postgresql-x2 "$round"
done

# --- report ---------------------------------------------------------------------------------------------
{
  echo "## Durable async submits per second: SQLite, PostgreSQL, and two gateways on PostgreSQL"
  echo
  echo "Commit $commit (jar built $jar_built); $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);"
  echo "$pg_version with its default settings (fsync, synchronous_commit on) on loopback; wrk -t$THREADS -c$CONNECTIONS,"
  echo "${WARMUP} s warm-up and ${DURATION} s measured per run, runs alternating; \`bash bench/async-state.sh\`."
  echo
  echo "| store | round | accepted/s | p50 ms | p99 ms | 202s | other answers | rows added | backlog run/s after |"
  echo "|---|---|---|---|---|---|---|---|---|"
  awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$work/runs"
  echo
  awk '{ n[$1]++; s[$1] += $3 } END { for (k in n) printf "Mean %s: %.0f accepted/s. ", k, s[k] / n[k]; print "" }' "$work/runs"
} | tee "$report"
log "report: $report (raw wrk output: $raw)"
