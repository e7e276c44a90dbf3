#!/usr/bin/env bash
# What observing every call costs: gateway throughput with the request log, metrics and OpenTelemetry
# tracing all on, against all off, in one run.
#
#   bash bench/observability.sh        # DURATION=15 (seconds per measurement), ROUNDS=2
#
# Two servers run side by side, each with the echo example: "on" records every call in the request
# log, the metrics and the alert statistics, and exports a span per call (gateway and instance) over
# OTLP/HTTP to a local receiver that answers 200; "off" runs with --observe-calls off and no OTEL_*
# settings (tracing is then a no-op). wrk (-t2 -c16, POST to /v1/services/echo/echo through the
# gateway) measures them in turn, off then on, ROUNDS times, so drift affects both.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. bin/find-java.sh
DURATION="${DURATION:-15}"
ROUNDS="${ROUNDS:-2}"
if ! command -v wrk >/dev/null 2>&1; then
  echo "[observability] installing wrk ..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi
jar=flowhost-cli/target/flowhost.jar
echo_jar=examples/echo/target/echo-service.jar
if [ ! -f "$jar" ] || [ ! -f "$echo_jar" ]; then ./flowhost build; fi
java_opts=(--enable-native-access=ALL-UNNAMED)
if [ "$(java_major "$JAVA_HOME")" -ge 23 ] 2>/dev/null; then java_opts+=(--sun-misc-unsafe-memory-access=allow); fi
mkdir -p bench/results
stamp=$(date -u +%Y%m%d-%H%M%S)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# A local OTLP/HTTP receiver that accepts every export and counts them.
otlp=$(free_port)
python3 - "$otlp" "$work/otlp.count" > /dev/null 2>&1 <<'PY' &
import sys, http.server
port, count = int(sys.argv[1]), sys.argv[2]
n = 0
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global n
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        n += 1
        open(count, "w").write(str(n))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
pids+=($!)

start_server() {   # $1 = label, $2 = --observe-calls value, then env assignments; sets port_<label>
  local label=$1 observe=$2; shift 2
  local port; port=$(free_port)
  env "$@" "$JAVA_HOME/bin/java" "${java_opts[@]}" -jar "$jar" server --port "$port" --data-dir "$work/$label" \
    --observe-calls "$observe" > "$work/$label.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  "$JAVA_HOME/bin/java" -jar "$jar" deploy "$echo_jar" --server "http://127.0.0.1:$port" --min-instances 1 > /dev/null
  printf -v "port_$label" '%s' "$port"
}
start_server off off OTEL_SDK_DISABLED=true
start_server on on OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$otlp" OTEL_BSP_SCHEDULE_DELAY=200
start_server logs on OTEL_SDK_DISABLED=true

lua="$work/post.lua"
cat > "$lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"hello":"world","n":42}'
wrk.headers["Content-Type"] = "application/json"
LUA
measure() {   # $1 = port, $2 = seconds -> "rps p50ms"
  wrk -t2 -c16 -d"$2"s --latency -s "$lua" "http://127.0.0.1:$1/v1/services/echo/echo" > "$work/wrk.out" 2>&1
  cat "$work/wrk.out" >> "$work/wrk.all"
  python3 - "$work/wrk.out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"50%\s+([\d.]+)(us|ms|s)", t)
p50 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
print(f"{rps:.0f} {p50:.3f} {bad.group(1) if bad else 0}")
PY
}
echo "[observability] warming up both" >&2
measure "$port_off" 5 > /dev/null; measure "$port_on" 5 > /dev/null; measure "$port_logs" 5 > /dev/null
rows=""
logs=""
for r in $(seq 1 "$ROUNDS"); do
  echo "[observability] round $r: off, on, then log and metrics without tracing (${DURATION}s each)" >&2
  rows+="off $(measure "$port_off" "$DURATION")"$'\n'
  rows+="on $(measure "$port_on" "$DURATION")"$'\n'
  logs+="$(measure "$port_logs" "$DURATION") "
done
exports=$(cat "$work/otlp.count" 2>/dev/null || echo 0)
lines=$(wc -l < "$work/on/logs/requests.log")
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
report=$(python3 - "$rows" "$exports" "$lines" "$logs" <<'PY'
import sys
rows = [l.split() for l in sys.argv[1].strip().splitlines()]
partial = sys.argv[4].split()
print("| Round | off req/s | on req/s | on/off | off p50 ms | on p50 ms | non-2xx |")
print("|--:|--:|--:|--:|--:|--:|--:|")
offs, ons = [], []
for i in range(0, len(rows), 2):
    off, on = rows[i], rows[i + 1]
    offs.append(float(off[1])); ons.append(float(on[1]))
    print(f"| {i // 2 + 1} | {off[1]} | {on[1]} | {float(on[1]) / float(off[1]):.2f} | {off[2]} | {on[2]} | {int(off[3]) + int(on[3])} |")
print()
print(f"Over all rounds: on/off = {sum(ons) / sum(offs):.2f} (target >= 0.9).")
logs_only = [float(partial[i]) for i in range(0, len(partial), 3)]
print(f"Request log + metrics + alert statistics without tracing: {sum(logs_only) / len(logs_only):.0f} req/s, "
      f"{sum(logs_only) / len(logs_only) / (sum(offs) / len(offs)):.2f} of off.")
print(f"The 'on' server wrote {sys.argv[3]} request-log lines and made {sys.argv[2]} OTLP exports (batches of spans).")
PY
)
{
  echo "## Observability on vs off: echo through the gateway, 16 connections"
  echo
  echo "Machine: $machine; $(date -u '+%Y-%m-%d %H:%M') UTC; commit $(git rev-parse --short HEAD)."
  echo
  echo "$report"
} | tee "bench/results/observability-$stamp.md"
