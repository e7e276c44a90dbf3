#!/usr/bin/env bash
# A large jar restored from PostgreSQL by a gateway with a small heap: two gateways share one database, A
# leading, B following with -Xmx$HEAP. A deploys echo's jar grown by $JAR_MIB MiB of incompressible data, A's own
# copy of the jar is deleted (as if A ran on another host) and A is stopped: B takes the lead and must copy
# the jar out of the state to start the deployment. Reported: whether B served a call within $WITHIN s of A's
# stop, how long it took, B's peak RSS, and what B's log said about the jar.
#
#   bash bench/jar-restore.sh                        a 300 MiB jar, B with a 192 MiB heap
#   JAR_MIB=500 HEAP=128m bash bench/jar-restore.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

JAR_MIB="${JAR_MIB:-300}"
HEAP="${HEAP:-192m}"
WITHIN="${WITHIN:-120}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers JAR_MIB WITHIN
bench_setup jar-restore
bench_files jar-restore
start_postgres

b_pid=""
on_exit() {
  [ -n "$b_pid" ] && kill "$b_pid" 2>/dev/null || true
  [ -n "$b_pid" ] && await_exit "$b_pid" 150 || true
}

big="$work/big-echo.jar"
log "building a jar of echo and $JAR_MIB MiB of random bytes (stored, not compressed)"
python3 - "$echo_jar" "$big" "$JAR_MIB" <<'PY'
import os, shutil, sys, zipfile
shutil.copy(sys.argv[1], sys.argv[2])
with zipfile.ZipFile(sys.argv[2], "a", compression=zipfile.ZIP_STORED) as z:
    with z.open("model/weights.bin", "w", force_zip64=True) as w:
        for _ in range(int(sys.argv[3])):
            w.write(os.urandom(1 << 20))
PY

new_database restore
data_dir="$work/a"
mkdir -p "$data_dir" "$work/b"
a_port="$(free_port)"
b_port="$(free_port)"
"${java[@]}" -jar "$jar" server --port "$a_port" --data-dir "$data_dir" --state "$state" --warm-spares 0 \
    >"$data_dir/server.log" 2>&1 &
server_pid=$!
await_healthz "http://127.0.0.1:$a_port"
a_pid=$server_pid
log "deploying the $(du -m "$big" | cut -f1) MiB jar through A"
"${java[@]}" -jar "$jar" deploy "$big" --server "http://127.0.0.1:$a_port" >&2
"${java[@]}" "-Xmx$HEAP" -jar "$jar" server --port "$b_port" --data-dir "$work/b" --state "$state" --warm-spares 0 \
    >"$work/b/server.log" 2>&1 &
b_pid=$!
server_pid=$b_pid await_healthz "http://127.0.0.1:$b_port"
server_pid=$a_pid

rm -f "$data_dir"/jars/*.jar
log "stopping A: B (-Xmx$HEAP) takes the lead and copies the jar out of PostgreSQL"
stopped_ms="$(date +%s%3N)"
stop_server
served=no
served_ms=""
deadline=$((stopped_ms + WITHIN * 1000))
while [ "$(date +%s%3N)" -lt "$deadline" ] && kill -0 "$b_pid" 2>/dev/null; do
  if curl -fsS --max-time 10 -o /dev/null -X POST -H 'Content-Type: application/json' --data '{"n":1}' \
      "http://127.0.0.1:$b_port/v1/services/echo/echo" 2>/dev/null; then
    served=yes
    served_ms=$(($(date +%s%3N) - stopped_ms))
    break
  fi
  sleep 0.2
done
peak="$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$b_pid/status" 2>/dev/null || echo "?")"
said="$(grep -E "restoring|cannot take the lead|cannot restore|OutOfMemory" "$work/b/server.log" | cut -c1-220 || true)"

{
  echo "# A ${JAR_MIB} MiB jar restored from PostgreSQL by a gateway with -Xmx$HEAP"
  echo
  echo "$(machine_line)"
  echo
  echo "| B served a call after A stopped | within | B's peak RSS |"
  echo "|---|--:|--:|"
  echo "| $served | ${served_ms:-(not within $WITHIN s)} ms | $peak MiB |"
  echo
  echo "B's log on the jar:"
  echo
  echo '```'
  echo "$said"
  echo '```'
} | tee "$report"
log "report kept in $report"
