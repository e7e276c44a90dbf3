#!/usr/bin/env bash
# What observing every call costs: gateway throughput with the request log, metrics and OpenTelemetry
# tracing on, against all off, in one run. Prints a markdown report and keeps a copy in
# bench/results/observability-<timestamp>.md (git-ignored; the raw wrk output goes next to it).
#
#   bash bench/observability.sh                 3 rounds of 15 s per configuration
#   ROUNDS=5 DURATION=20 bash bench/observability.sh
#
# Configurations, each measured alone (one server and one echo instance on the machine at a time,
# started fresh, warmed up, then measured), in a rotating order each round so that drift in the
# machine's speed falls on all of them:
# The echo service runs on one instance (min = max = 1, max-concurrency above the connections), so
# no call waits in the gateway and no instance starts during a run.
#   off      --observe-calls off and no OTEL_* settings: no request log, metrics or alert statistics
#            on the call path, and tracing is the no-op API
#   logs     the request log, metrics and alert statistics; no tracing
#   on       logs + tracing of every call (spans in the gateway and the instance, exported over
#            OTLP/HTTP to a local receiver that answers 200)
#   sampled  logs + tracing with OTEL_TRACES_SAMPLER=parentbased_traceidratio at SAMPLE_RATIO
#            (default 0.1): what a busy service usually runs with
#
# Other knobs: WARMUP (seconds, default 20: with less, the JIT compilers still take a tenth of a core
# during the measured run, more with tracing on, whose code paths are longer), CONNECTIONS (wrk -c, default 16), THREADS (wrk -t, default 2),
# QUIET_WAIT (seconds to wait for the machine to go quiet before each measured run, default 30),
# CONFIGS (default "off logs on sampled").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-20}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
QUIET_WAIT="${QUIET_WAIT:-30}"
SAMPLE_RATIO="${SAMPLE_RATIO:-0.1}"
CONFIGS="${CONFIGS:-off logs on sampled}"
for c in $CONFIGS; do
  case "$c" in off | logs | on | sampled) ;; *) echo "CONFIGS: '$c' is not one of off, logs, on, sampled" >&2; exit 2 ;; esac
done
case " $CONFIGS " in *" off "*) ;; *) echo "CONFIGS must include off: every ratio is to it" >&2; exit 2 ;; esac

jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"
lua="$here/bench/echo-post.lua"

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers DURATION WARMUP ROUNDS CONNECTIONS THREADS QUIET_WAIT
bench_setup observability
bench_files observability
receiver_pid=""
on_exit() { [ -z "$receiver_pid" ] || kill "$receiver_pid" 2>/dev/null || true; }

# CPU ticks of a JVM's JIT compiler threads: a measured run should see next to none once warmed up.
jit_ticks() {
  local sum=0 task
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ Compiler* | C2\ Compiler*) sum=$((sum + $(awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null || echo 0))) ;;
    esac
  done
  echo "$sum"
}

# A local OTLP/HTTP receiver that accepts every export, counting requests and bytes.
otlp="$(free_port)"
python3 - "$otlp" "$work/otlp.count" >"$work/receiver.log" 2>&1 <<'PY' &
import sys, http.server
port, count = int(sys.argv[1]), sys.argv[2]
exports = size = 0
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        global exports, size
        n = int(self.headers.get("Content-Length", 0))
        self.rfile.read(n)
        exports += 1; size += n
        with open(count, "w") as f: f.write(f"{exports} {size}\n")
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
receiver_pid=$!

# start_server CONFIG: a fresh server with a fresh data dir, echo deployed with one instance kept up;
# sets server_pid, instance_pid, data_dir and gateway.
start_server() {
  local config="$1" observe=on env_vars=()
  case "$config" in
    off) observe=off; env_vars=(OTEL_SDK_DISABLED=true) ;;
    logs) env_vars=(OTEL_SDK_DISABLED=true) ;;
    on) env_vars=("OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$otlp") ;;
    sampled) env_vars=("OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$otlp" OTEL_TRACES_SAMPLER=parentbased_traceidratio
                       "OTEL_TRACES_SAMPLER_ARG=$SAMPLE_RATIO") ;;
  esac
  local port
  port="$(free_port)"
  gateway="http://127.0.0.1:$port"
  data_dir="$work/data-$config-$RANDOM"
  mkdir -p "$data_dir"
  env "${env_vars[@]}" "${java[@]}" -jar "$jar" server --port "$port" --data-dir "$data_dir" --observe-calls "$observe" \
    >"$data_dir/server.log" 2>&1 &
  server_pid=$!
  await_healthz "$gateway"
  # One instance, never more and never holding a call: scaling up mid-run would measure cold starts.
  "${java[@]}" -jar "$jar" deploy "$echo_jar" --server "$gateway" --min-instances 1 --max-instances 1 \
    --max-concurrency "$((CONNECTIONS * 2))" --target-in-flight "$((CONNECTIONS * 2))" >/dev/null
  instance_pid="$(curl -fsS "$gateway/v1/deployments" | python3 -c '
import json, sys
print(json.load(sys.stdin)["deployments"][0]["instances"][0]["pid"])')"
  local answer
  answer="$(curl -sS -o "$work/answer" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      --data '{"hello":"world","n":42}' "$gateway/v1/services/echo/echo")"
  [ "$answer" = 200 ] || { echo "the first call ($config) answered $answer: $(cat "$work/answer")" >&2; exit 1; }
}

# measure CONFIG ROUND: warm-up, then a measured run; appends "config round rps p50 p99 requests
# server_cores instance_cores wrk_cores other_cores errors" to $work/rows.
measure() {
  local config="$1" round="$2" name="$1-$2" s0 i0 m0 q0 w0 t0 s1 i1 m1 q1 w1 t1 j0 j1 cpu
  start_server "$config"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$lua" "$gateway/v1/services/echo/echo" >/dev/null 2>&1 || true
  wait_quiet
  s0="$(proc_ticks "$server_pid")"; i0="$(proc_ticks "$instance_pid")"; read -r m0 q0 <<<"$(machine_ticks)"
  j0=$(( $(jit_ticks "$server_pid") + $(jit_ticks "$instance_pid") ))
  children_cpu; w0="$cpu_now"; t0="$(date +%s.%N)"
  echo "===== $name: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency" >>"$raw"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$lua" "$gateway/v1/services/echo/echo" \
    >"$work/$name.txt" 2>&1 || log "wrk exited with status $? for $name"
  s1="$(proc_ticks "$server_pid")"; i1="$(proc_ticks "$instance_pid")"; read -r m1 q1 <<<"$(machine_ticks)"
  j1=$(( $(jit_ticks "$server_pid") + $(jit_ticks "$instance_pid") ))
  children_cpu; w1="$cpu_now"; t1="$(date +%s.%N)"
  cat "$work/$name.txt" >>"$raw"
  if ! kill -0 "$instance_pid" 2>/dev/null; then
    echo "the echo instance (pid $instance_pid) died during the $name run: its figures would be wrong" >&2
    grep -i -m5 "exit\|crash\|hs_err" "$data_dir/server.log" >&2 || true
    exit 1
  fi
  cpu="$(awk -v s="$((s1 - s0))" -v i="$((i1 - i0))" -v m="$((m1 - m0))" -v w0="$w0" -v w1="$w1" \
      -v t0="$t0" -v t1="$t1" -v hz="$clk_tck" \
      -v j="$((j1 - j0))" \
    'BEGIN { secs = t1 - t0; w = secs * hz; wrk = (w1 - w0) / secs
             printf "%.2f %.2f %.2f %.2f %.3f", s / w, i / w, wrk, m / w - s / w - i / w - wrk, j / w }')"
  read -r rps p50 p99 reqs err <<<"$(wrk_parse "$work/$name.txt")"
  echo "$config $round $rps $p50 $p99 $reqs $cpu ${err// /_}" >>"$work/rows"
  log "$name: $rps req/s, p50 $p50 ms (server, instance, wrk, others: $cpu cores)"
  if [ "$config" != off ]; then
    sleep 1   # the request log's writer flushes within 20 ms
    local dropped
    dropped="$(curl -fsS "$gateway/metrics" | awk '/^flowhost_request_log_dropped_total/ { print $2 + 0 }')"
    echo "$config $round $(cat "$data_dir"/logs/requests.log* | wc -l) ${dropped:-?}" >>"$work/loglines"
  fi
  stop_server
  if [ "$config" = on ] || [ "$config" = sampled ]; then
    # The SDK logs "dropped N span(s)" when its export queue is full; a run that drops spans did less work.
    cat "$data_dir/server.log" "$data_dir"/instances/*/instance.log 2>/dev/null \
      | sed -n 's/.*dropped \([0-9][0-9]*\) span(s).*/\1/p' \
      | awk -v c="$config" -v r="$round" '{ n += $1 } END { print c, r, n + 0 }' >>"$work/spans"
  fi
  if [ "$config" = on ] && [ ! -s "$work/otlp.count" ]; then
    echo "tracing was on but the OTLP receiver got no spans; receiver log:" >&2
    cat "$work/receiver.log" >&2
    grep -i -m5 "otlp\|export" "$data_dir/server.log" >&2 || true
    exit 1
  fi
}

: >"$work/rows"
: >"$work/loglines"
: >"$work/spans"
read -r -a order <<<"$CONFIGS"
for round in $(seq 1 "$ROUNDS"); do
  # rotate the order each round: drift (thermal, a neighbour) then falls on every configuration
  shift_by=$(( (round - 1) % ${#order[@]} ))
  this_round=("${order[@]:shift_by}" "${order[@]:0:shift_by}")
  log "round $round of $ROUNDS: ${this_round[*]} (${WARMUP}s warm-up, ${DURATION}s measured, each on a fresh server)"
  for config in "${this_round[@]}"; do
    measure "$config" "$round"
  done
done
read -r exports export_bytes <"$work/otlp.count" 2>/dev/null || { exports=0; export_bytes=0; }

machine="$(machine_line)"

out="$work/report.md"
{
  echo "## Observability on vs off: echo through the gateway, $CONNECTIONS connections"
  echo
  echo "Machine: $machine"
  echo
  echo "Measured: flowhost.jar built $jar_built, checkout at $commit. wrk -t$THREADS -c$CONNECTIONS, POST to"
  echo "/v1/services/echo/echo; each configuration on a fresh server, ${WARMUP} s warm-up, ${DURATION} s measured,"
  echo "$ROUNDS rounds in rotating order; sampled = tracing with parentbased_traceidratio $SAMPLE_RATIO."
  echo
  python3 - "$work/rows" "$work/loglines" "$exports" "$export_bytes" "$work/spans" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
lines = {(l.split()[0], int(l.split()[1])): (int(l.split()[2]), l.split()[3]) for l in open(sys.argv[2]) if l.strip()}
configs = list(dict.fromkeys(r[0] for r in rows))
rounds = sorted({int(r[1]) for r in rows})
by = {(r[0], int(r[1])): r for r in rows}
print("| Round | " + " | ".join(f"{c} req/s" for c in configs) + " |")
print("|--:|" + "--:|" * len(configs))
for n in rounds:
    print(f"| {n} | " + " | ".join(by[(c, n)][2] if (c, n) in by else "" for c in configs) + " |")
print()
print("| Configuration | median req/s | of off (same rounds) | p50 ms | p99 ms | server cores | instance cores "
      "| wrk cores | other cores | JIT cores | server + instance CPU µs per call | non-2xx, socket errors |")
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
off = {n: float(by[("off", n)][2]) for n in rounds if ("off", n) in by}
for c in configs:
    rs = [by[(c, n)] for n in rounds if (c, n) in by]
    rps = [float(r[2]) for r in rs]
    ratio = sum(float(by[(c, n)][2]) for n in rounds if (c, n) in by) / sum(off[n] for n in rounds if (c, n) in by)
    med = lambda i: statistics.median(float(r[i]) for r in rs)
    per_call = statistics.median((float(r[6]) + float(r[7])) / float(r[2]) * 1e6 for r in rs)
    errors = sorted({r[11].replace("_", " ") for r in rs} - {"-"})
    print(f"| {c} | {statistics.median(rps):,.0f} | {ratio:.2f} | {med(3):.3f} | {med(4):.3f} | {med(6):.2f} "
          f"| {med(7):.2f} | {med(8):.2f} | {med(9):.2f} | {med(10):.3f} | {per_call:.1f} | {'; '.join(errors) or 'none'} |")
print()
wrote = [f"{c}: {lines[(c, n)][0]:,} lines for {int(by[(c, n)][5]):,} measured calls (+ warm-up), {lines[(c, n)][1]} dropped"
         for c in configs for n in rounds[-1:] if (c, n) in lines]
if wrote:
    print("Request-log lines written in the last round: " + "; ".join(wrote) + ".")
print(f"The OTLP receiver took {int(sys.argv[3]):,} exports ({int(sys.argv[4]) / 1e6:,.1f} MB of spans) over all rounds.")
dropped = {}
for l in open(sys.argv[5]):
    if l.strip():
        c, _, n = l.split()
        dropped[c] = dropped.get(c, 0) + int(n)
if dropped:
    print("Spans the SDK dropped (export queue full), warm-up included, over all rounds: "
          + "; ".join(f"{c}: {n:,}" for c, n in dropped.items()) + ".")
PY
  echo
  echo "CPU columns: in cores of $(nproc), from /proc (wrk via bash's \`times\`); other = the whole machine minus"
  echo "the server, the instance and wrk (the OTLP receiver, in python, is counted there); JIT = the server's and the"
  echo "instance's compiler threads, which should be near 0 once warmed up. \"of off\" is the sum"
  echo "of a configuration's req/s over the rounds divided by off's over the same rounds."
  echo "Raw wrk output: bench/results/$(basename "$raw")"
} >"$out"
cp "$out" "$report"
cat "$out"
log "report written to $report"
