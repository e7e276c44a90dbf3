#!/usr/bin/env bash
# Failover with several gateways (issue #11): two gateways share one PostgreSQL database, A leading (it runs
# echo's instance) and B following. A caller sends one call at a time through B. A is SIGKILLed, and its
# instance dies with it (it exits once its parent is gone, finishing the calls it has). Measured: the time
# from the kill to B leading (the lease row's term moves on: polled every 50 ms), and to the first call
# answered by an instance B started: the first 200 to a call sent once B led, when B routes to its own
# instances only (a call sent earlier may still be answered by A's dying instance). ROUNDS rounds (default
# 5); the median is reported. Calls sent to B meanwhile are held, not failed: the failures are counted and reported too.
#
#   bash bench/failover.sh
#   ROUNDS=9 bash bench/failover.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

ROUNDS="${ROUNDS:-5}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers ROUNDS
bench_setup failover
bench_files failover
start_postgres

b_pid=""
caller_pid=""
on_exit() {
  [ -n "$caller_pid" ] && kill "$caller_pid" 2>/dev/null || true
  [ -n "$b_pid" ] && kill "$b_pid" 2>/dev/null || true
  [ -n "$b_pid" ] && await_exit "$b_pid" 150 || true
}

now_us() { date +%s%6N; }

# The caller: one call at a time through $1, each line "<sent us> <answered us> <status> <why>", until killed.
caller() {
  exec python3 - "$1" <<'PY'
import sys, time, urllib.request, urllib.error
url = sys.argv[1] + "/v1/services/echo/echo"
while True:
    start = time.time_ns() // 1000
    try:
        req = urllib.request.Request(url, data=b'{"n": 1}', headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            status = r.status
        why = "-"
    except urllib.error.HTTPError as e:
        status = e.code
        why = e.read().decode("utf-8", "replace").replace(" ", "_")[:300]
    except Exception as e:
        status = 0
        why = type(e).__name__
    print(start, time.time_ns() // 1000, status, why, flush=True)
PY
}

: >"$work/rounds"
for round in $(seq 1 "$ROUNDS"); do
  db="failover_$round"
  new_database "$db"
  data_dir="$work/a-$round"
  mkdir -p "$data_dir" "$work/b-$round"
  a_port="$(free_port)"
  b_port="$(free_port)"
  "${java[@]}" -jar "$jar" server --port "$a_port" --data-dir "$data_dir" --state "$state" >"$data_dir/server.log" 2>&1 &
  server_pid=$!
  await_healthz "http://127.0.0.1:$a_port"
  a_pid=$server_pid
  "${java[@]}" -jar "$jar" server --port "$b_port" --data-dir "$work/b-$round" --state "$state" \
      >"$work/b-$round/server.log" 2>&1 &
  b_pid=$!
  server_pid=$b_pid await_healthz "http://127.0.0.1:$b_port"
  status="$(curl -sS -o "$work/deploy.json" -w '%{http_code}' --data-binary "@$echo_jar" \
      -H 'Content-Type: application/java-archive' "http://127.0.0.1:$b_port/v1/deployments?min-instances=1")"
  [ "$status" = 201 ] || { echo "deploy answered $status: $(cat "$work/deploy.json")" >&2; exit 1; }
  old_instances="$(pgrep -P "$a_pid" || true)"
  [ -n "$old_instances" ] || { echo "A runs no instance" >&2; exit 1; }

  caller "http://127.0.0.1:$b_port" >"$work/calls-$round" &
  caller_pid=$!
  sleep 2
  killed="$(now_us)"
  kill -9 "$a_pid"
  wait "$a_pid" 2>/dev/null || true
  server_pid=""
  # Both watched at once, every 50 ms (psql costs CPU the new instance needs): A's instance exiting, B leading.
  gone=""
  led=""
  for _ in $(seq 1 600); do
    if [ -z "$gone" ]; then
      alive=0
      # Gone once it no longer runs: an orphan's zombie may wait for a reaper here (no init in a container).
      for pid in $old_instances; do
        state="$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || echo gone)"
        [ "$state" != gone ] && [ "$state" != Z ] && alive=1
      done
      [ "$alive" = 0 ] && gone="$(now_us)"
    fi
    if [ -z "$led" ] && [ "$(psql_at "$db" "SELECT term FROM leadership")" = 2 ]; then led="$(now_us)"; fi
    [ -n "$gone" ] && [ -n "$led" ] && break
    sleep 0.05
  done
  [ -n "$led" ] || { echo "B did not lead within 30 s" >&2; exit 1; }
  [ -n "$gone" ] || { echo "A's instance outlived it by 30 s" >&2; exit 1; }
  answered=""
  for _ in $(seq 1 1200); do
    answered="$(awk -v led="$led" '$1 > led && $3 == 200 { print $2; exit }' "$work/calls-$round")"
    [ -n "$answered" ] && break
    sleep 0.05
  done
  [ -n "$answered" ] || { echo "no call answered through B within 60 s of the kill" >&2; exit 1; }
  kill "$caller_pid" 2>/dev/null || true
  wait "$caller_pid" 2>/dev/null || true
  caller_pid=""
  { echo "===== round $round: failed calls after the kill, by answer"
    awk -v k="$killed" '$2 > k && $3 != 200 { print $3, substr($4, 1, 160) }' "$work/calls-$round" | sort | uniq -c | sort -rn | head -n 10
    echo "===== round $round: the new leader's log from the takeover on"
    sed -n '/leads now/,$p' "$work/b-$round/server.log" | grep -v '^\s*at ' | head -n 40
  } >>"$raw"
  kill "$b_pid"
  await_exit "$b_pid" 150 || kill -9 "$b_pid"
  wait "$b_pid" 2>/dev/null || true
  b_pid=""
  failed="$(awk -v k="$killed" '$2 > k && $3 != 200 { n++ } END { print n + 0 }' "$work/calls-$round")"
  calls="$(awk -v k="$killed" '$2 > k { n++ } END { print n + 0 }' "$work/calls-$round")"
  echo "$round $(( (led - killed) / 1000 )) $(( (answered - killed) / 1000 )) $(( (gone - killed) / 1000 )) $calls $failed" \
      >>"$work/rounds"
  log "round $round: $(tail -n 1 "$work/rounds")"
done

{
  echo "## Failover: leader SIGKILLed, time to a new leader and to a call answered by its instance"
  echo
  echo "Commit $commit (jar built $jar_built); $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);"
  echo "$pg_version on loopback; two gateways on one host, one call at a time through the follower; \`bash bench/failover.sh\`."
  echo
  echo "| round | new leader after, ms | first call answered by its instance after, ms | old instance gone after, ms | calls answered after the kill | of them failed |"
  echo "|---|---|---|---|---|---|"
  awk '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$work/rounds"
  echo
  sort -n -k3 "$work/rounds" | awk '{ a[NR] = $3 } END { printf "Median time to the first call answered by the new leader'"'"'s instance: %d ms. ", a[int((NR + 1) / 2)] }'
  sort -n -k2 "$work/rounds" | awk '{ a[NR] = $2 } END { printf "Median time to a new leader: %d ms.\n", a[int((NR + 1) / 2)] }'
} | tee "$report"
log "report: $report"
