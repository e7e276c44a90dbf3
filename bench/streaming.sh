#!/usr/bin/env bash
# Streaming benchmark (issue #16): a service whose endpoint returns a Stream<String>, on one instance, called
# directly (a) and through the gateway (b), in the same run:
#   time to the first chunk: p50 over CALLS calls a round on one kept-alive connection each (bench/first-chunk.py),
#     of three 64-byte items made back to back, and of three made PAUSE ms apart (the machine idles between them, and
#     every hop's wake-up from idle shows), target b <= a + 0.5 ms;
#   a large stream: STREAM_MIB MiB of 64 KiB items read by curl, MB/s, target b >= 0.8 x a;
#   the gateway's RSS, sampled every 100 ms while it relays STREAM_MIB MiB, target: within +-32 MiB of its RSS before.
# Prints a markdown report and keeps it in bench/results/streaming-<timestamp>.md (git-ignored).
#
#   bash bench/streaming.sh                   3 rounds, a GiB per large stream
#
# Knobs: ROUNDS (3), CALLS (500), PAUSE (5), STREAM_MIB (1024), QUIET_WAIT (20).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

ROUNDS="${ROUNDS:-3}"
CALLS="${CALLS:-500}"
PAUSE="${PAUSE:-5}"
STREAM_MIB="${STREAM_MIB:-1024}"
QUIET_WAIT="${QUIET_WAIT:-20}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers ROUNDS CALLS PAUSE STREAM_MIB QUIET_WAIT
bench_setup streaming
bench_files streaming

log "building the stream service (bench/services/StreamService.java) against $jar"
mkdir -p "$work/streams"
"$JAVA_HOME/bin/javac" --release 21 -cp "$jar" -d "$work/streams" "$here/bench/services/StreamService.java"
(cd "$work/streams" && "$JAVA_HOME/bin/jar" --create --file "$work/streams.jar" .)

launch_server
"${java[@]}" -jar "$jar" deploy "$work/streams.jar" --server "$base" --min-instances 1 --max-instances 1 >&2
read -r instance_addr instance_pid <<<"$(curl -fsS "$base/v1/deployments" | python3 -c '
import json, sys
i = json.load(sys.stdin)["deployments"][0]["instances"][0]
print(i["address"], i["pid"])')"
direct="http://$instance_addr"
gateway_addr="127.0.0.1:$port"
log "instance at $instance_addr (pid $instance_pid), gateway at $gateway_addr (pid $server_pid)"

rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
items=$((STREAM_MIB * 16))
large="{\"count\": $items, \"bytes\": 65533, \"pauseMillis\": 0}" # a JSON string and its line end: 64 KiB a line
download() { # URL: "MB/s bytes" of one large stream
  curl -fsS -o /dev/null -w '%{speed_download} %{size_download}\n' -X POST -H 'Content-Type: application/json' \
      --data "$large" "$1/v1/services/streams/stream"
}

log "warm-up: $((CALLS * 2)) short streams and one large stream each way"
python3 bench/first-chunk.py "$CALLS" 2 "{\"count\": 3, \"bytes\": 64, \"pauseMillis\": $PAUSE}" \
    "$instance_addr" "$gateway_addr" >/dev/null
download "$direct" >/dev/null
download "$base" >/dev/null

for r in $(seq 1 "$ROUNDS"); do
  wait_quiet
  log "round $r: time to the first chunk, $CALLS calls each way, items back to back and ${PAUSE} ms apart"
  python3 bench/first-chunk.py "$CALLS" 1 '{"count": 3, "bytes": 64, "pauseMillis": 0}' \
      "$instance_addr" "$gateway_addr" >"$work/first-$r.txt"
  python3 bench/first-chunk.py "$CALLS" 1 "{\"count\": 3, \"bytes\": 64, \"pauseMillis\": $PAUSE}" \
      "$instance_addr" "$gateway_addr" >"$work/paused-$r.txt"
  wait_quiet
  log "round $r: $STREAM_MIB MiB directly"
  download "$direct" >"$work/direct-$r.txt"
  log "round $r: $STREAM_MIB MiB through the gateway, its RSS sampled"
  before="$(rss_mib "$server_pid")"
  download "$base" >"$work/gateway-$r.txt" &
  curl_pid=$!
  : >"$work/rss-$r.txt"
  while kill -0 "$curl_pid" 2>/dev/null; do
    rss_mib "$server_pid" >>"$work/rss-$r.txt"
    echo >>"$work/rss-$r.txt"
    sleep 0.1
  done
  wait "$curl_pid"
  echo "$before" >"$work/rss-before-$r.txt"
done

# --- report ------------------------------------------------------------------------------------
machine="$(machine_line)"
out="$work/report.md"
{
  echo "## Streaming: a Stream<String> endpoint, directly (a) vs through the gateway (b)"
  echo
  echo "Machine: $machine"
  echo
  echo "Measured: flowhost.jar built $jar_built, checkout at $commit. One instance. Time to the first chunk: p50 (p90)"
  echo "over $CALLS calls a round on one kept-alive connection each way, of three 64-byte items made back to back, and"
  echo "made ${PAUSE} ms apart. Large streams: $STREAM_MIB MiB in 64 KiB items read by curl, with the gateway's RSS"
  echo "sampled every 100 ms while it relays one."
  echo
  echo "| Round | first chunk a ms | b ms | b−a ms | items ${PAUSE} ms apart: a ms | b ms | b−a ms | a MB/s | b MB/s | b/a | gateway RSS before MiB | during MiB | max − before MiB |"
  echo "|------:|------:|------:|------:|------:|------:|------:|------:|------:|----:|------:|------:|------:|"
  for r in $(seq 1 "$ROUNDS"); do
    read -r _ a50 a90 <<<"$(sed -n 1p "$work/first-$r.txt")"
    read -r _ b50 b90 <<<"$(sed -n 2p "$work/first-$r.txt")"
    read -r _ pa50 pa90 <<<"$(sed -n 1p "$work/paused-$r.txt")"
    read -r _ pb50 pb90 <<<"$(sed -n 2p "$work/paused-$r.txt")"
    read -r a_speed a_size <<<"$(cat "$work/direct-$r.txt")"
    read -r b_speed b_size <<<"$(cat "$work/gateway-$r.txt")"
    expected=$((STREAM_MIB * 1048576))
    [ "$a_size" = "$expected" ] && [ "$b_size" = "$expected" ] \
        || { echo "round $r: read $a_size and $b_size bytes, not $expected" >&2; exit 1; }
    before="$(cat "$work/rss-before-$r.txt")"
    read -r lo hi <<<"$(awk 'NF { if (lo == "" || $1 < lo) lo = $1; if ($1 > hi) hi = $1 } END { print lo, hi }' "$work/rss-$r.txt")"
    awk -v r="$r" -v a50="$a50" -v b50="$b50" -v a90="$a90" -v b90="$b90" -v pa50="$pa50" -v pb50="$pb50" \
        -v pa90="$pa90" -v pb90="$pb90" -v as="$a_speed" -v bs="$b_speed" -v before="$before" -v lo="$lo" -v hi="$hi" \
      'BEGIN { printf "| %s | %.3f (%.3f) | %.3f (%.3f) | %+.3f | %.3f (%.3f) | %.3f (%.3f) | %+.3f | %.0f | %.0f | %.2f | %.1f | %.1f–%.1f | %+.1f |\n",
               r, a50, a90, b50, b90, b50 - a50, pa50, pa90, pb50, pb90, pb50 - pa50, as / 1e6, bs / 1e6, bs / as, before, lo, hi, hi - before }'
  done
  echo
  echo "Every large stream arrived whole ($STREAM_MIB MiB each way, every round)."
} >"$out"
cat "$out"
cp "$out" "$report"
log "report: $report"
