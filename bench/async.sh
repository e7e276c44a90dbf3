#!/usr/bin/env bash
# Async requests benchmark (issue #5): (1) how many asynchronous calls per second the server accepts
# durably (202 only once the request is committed and fsynced to SQLite) from 64 concurrent
# submitters, with wrk, while the dispatcher keeps running what was accepted; (2) once that backlog
# has drained, submit-to-result latency of the echo endpoint on a quiet queue: N sequential
# requests, each submitted (202) and then long-polled (GET /v1/requests/{id}?wait=30s) until done;
# (3) sync calls through the same gateway from 16 connections, which the drain's pace is read against.
# Prints a markdown report and keeps a copy in bench/results/async-<timestamp>.md (git-ignored; the
# raw wrk output and the per-request timings go next to it).
#
#   bash bench/async.sh                  measured wrk run of 15 s, 500 sequential requests
#   DURATION=30 N=2000 bash bench/async.sh
#
# Other knobs: SYNC_DURATION (seconds of part 3, default 10), WARMUP (seconds of wrk before the measured
# run, discarded, default 15; 0 skips it: a fresh server's JIT needs 10-15 s of this load on 2 cores
# before its pace settles, see docs/benchmarks.md), CONNECTIONS (default 64), THREADS (wrk -t,
# default 2), QUIET_WAIT (seconds to wait, before each measured part, for other processes to stop
# using the CPU; default 30), DRAIN_TIMEOUT (seconds to wait for the backlog of part 1 to be run
# before part 2, default 1800; past it the script fails).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

DURATION="${DURATION:-15}"
DURATION="${DURATION%s}"          # 15 and 15s both mean 15 seconds
WARMUP="${WARMUP:-15}"
WARMUP="${WARMUP%s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
N="${N:-500}"
QUIET_WAIT="${QUIET_WAIT:-30}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-1800}"
SYNC_DURATION="${SYNC_DURATION:-10}"
SYNC_DURATION="${SYNC_DURATION%s}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"
lua="$here/bench/async-post.lua"
body='{"hello":"world","n":42}'


# --- tools, jars, JVM options, provenance (bench/lib.sh) --------------------------------------
# shellcheck source=lib.sh
. "$here/bench/lib.sh"
MAY_BE_ZERO="QUIET_WAIT WARMUP" whole_numbers DURATION WARMUP CONNECTIONS THREADS N QUIET_WAIT DRAIN_TIMEOUT SYNC_DURATION
bench_setup async

# --- server lifecycle --------------------------------------------------------------------------
bench_files async
timings="$results_dir/async-$stamp-latency.tsv"
data_dir="$work/data"
mkdir -p "$data_dir"
sampler_pid=""
on_exit() { [ -z "$sampler_pid" ] || kill "$sampler_pid" 2>/dev/null || true; }

# What one fsync costs on the disk that holds the data directory: the floor under every durable
# commit, and what group commit shares out between the submitters waiting on it.
fsync_ms="$(python3 - "$data_dir" <<'PY'
import os, statistics, sys, time
path = os.path.join(sys.argv[1], "fsync-probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
times = []
for _ in range(200):
    os.write(fd, b"x" * 4096)
    t = time.perf_counter()
    os.fdatasync(fd)
    times.append((time.perf_counter() - t) * 1000)
os.close(fd)
os.unlink(path)
print(f"{statistics.median(times):.2f}")
PY
)"
data_fs="$(df -T "$data_dir" | awk 'NR == 2 { print $2 " on " $1 }')"

port="$(free_port)"
server="http://127.0.0.1:$port"

log "starting the server on port $port (data dir $data_dir, $data_fs, fdatasync ${fsync_ms} ms median)"
"${java[@]}" -jar "$jar" server --port "$port" --data-dir "$data_dir" >"$data_dir/server.log" 2>&1 &
server_pid=$!

await_healthz "$server"

# The CLI has no flag for the async retention settings: deploy through the API. max-queued is
# raised from its default (100,000) so that the backlog wrk builds up is never refused with 429.
log "deploying examples/echo/target/echo-service.jar (max-queued=10000000, one instance)"
deploy_query="max-queued=10000000&max-instances=1&min-instances=1"
status="$(curl -sS -o "$work/deploy.json" -w '%{http_code}' --data-binary "@$echo_jar" \
    -H 'Content-Type: application/java-archive' "$server/v1/deployments?$deploy_query")"
if [ "$status" != "201" ] && [ "$status" != "200" ]; then
  echo "the deploy answered $status: $(cat "$work/deploy.json")" >&2
  exit 1
fi

info=""
for i in $(seq 1 600); do
  info="$(curl -fsS "$server/v1/deployments" | python3 -c '
import json, sys
for d in json.load(sys.stdin)["deployments"]:
    for i in d.get("instances", []):
        print(i["address"], i["pid"]); sys.exit()' || true)"
  [ -n "$info" ] && break
  if [ "$i" -eq 600 ]; then
    echo "the echo deployment had no instance after 60 s" >&2
    exit 1
  fi
  sleep 0.1
done
read -r instance_addr instance_pid <<<"$info"
log "instance at $instance_addr (pid $instance_pid), server pid $server_pid"

# One async call before any load: 202, a Location, and then the echoed body.
status="$(curl -sS -o "$work/answer" -D "$work/headers" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -H 'Prefer: respond-async' --data "$body" "$server/v1/services/echo/echo")"
location="$(awk 'tolower($1) == "location:" { sub(/\r$/, "", $2); print $2 }' "$work/headers")"
if [ "$status" != "202" ] || [ -z "$location" ]; then
  echo "POST /v1/services/echo/echo with Prefer: respond-async answered $status: $(cat "$work/answer")" >&2
  exit 1
fi
curl -fsS "$server$location?wait=30s" | python3 -c '
import json, sys
r = json.load(sys.stdin)
if r["state"] != "succeeded" or r["result"]["body"] != {"hello": "world", "n": 42}:
    sys.exit("the first async call did not succeed with the echoed body: " + json.dumps(r))'

# --- helpers -----------------------------------------------------------------------------------
# proc_ticks, machine_ticks, children_cpu and wait_quiet come from bench/lib.sh.
# cpu_start / cpu_stop NAME: the CPU (in cores) that the server, the instance, this script's children
# (the load generator), the whole machine, other processes and softirq used in between, to $work/NAME.cpu.
cpu_start() {
  c_s0="$(proc_ticks "$server_pid")"; c_i0="$(proc_ticks "$instance_pid")"; read -r c_m0 c_q0 <<<"$(machine_ticks)"
  children_cpu; c_w0="$cpu_now"; c_t0="$(date +%s.%N)"
}
cpu_stop() {
  local s1 i1 m1 q1 t1
  s1="$(proc_ticks "$server_pid")"; i1="$(proc_ticks "$instance_pid")"; read -r m1 q1 <<<"$(machine_ticks)"
  children_cpu; t1="$(date +%s.%N)"
  awk -v s="$((s1 - c_s0))" -v i="$((i1 - c_i0))" -v m="$((m1 - c_m0))" -v q="$((q1 - c_q0))" -v w0="$c_w0" \
      -v w1="$cpu_now" -v t0="$c_t0" -v t1="$t1" -v hz="$clk_tck" \
    'BEGIN { secs = t1 - t0; w = secs * hz; client = (w1 - w0) / secs
             printf "%.2f %.2f %.2f %.2f %.2f %.2f %.1f\n", s / w, i / w, client, m / w,
                    m / w - s / w - i / w - client, q / w, secs }' \
    >"$work/$1.cpu"
}

# What else runs on the machine, into the raw log, before each measured part.
snapshot() {
  { echo "===== $1: top -bn1 | head -15 at $(date -u '+%H:%M:%S UTC')"; top -bn1 | head -15; } >>"$raw" 2>&1 || true
}

# Counts of the service's requests by state, read straight from the SQLite file (read-only, beside
# the server: WAL lets it); prints "queued running succeeded failed other".
db_counts() {
  python3 - "$data_dir/requests.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=30)
counts = dict(db.execute("SELECT state, COUNT(*) FROM requests WHERE service = 'echo' GROUP BY state").fetchall())
db.close()
q, r, s, f = (counts.pop(k, 0) for k in ("QUEUED", "RUNNING", "SUCCEEDED", "FAILED"))
print(q, r, s, f, sum(counts.values()))
PY
}

db_size() { # requests.db and its -wal and -shm, as ls -l shows them, and their total in MiB
  ls -l "$data_dir"/requests.db* | awk '{ n = $NF; sub(/.*\//, "", n); printf "%s %s; ", n, $5; t += $5 }
                                       END { printf "total %.1f MiB\n", t / 1048576 }'
}

rss_mib() { # resident set size of a pid, in MiB with one decimal
  local kib
  kib="$(ps -o rss= -p "$1" | tr -d ' ')"
  awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }'
}

# wrk_run NAME SECONDS: runs wrk, keeps its output in $work/NAME.txt and in the raw log.
wrk_run() {
  local name="$1" secs="$2"
  echo "===== $name: wrk -t$THREADS -c$CONNECTIONS -d${secs}s --latency -s bench/async-post.lua $server/v1/services/echo/echo" >>"$raw"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency -s "$lua" "$server/v1/services/echo/echo" \
      >"$work/$name.txt" 2>&1 || log "wrk exited with status $? for $name (see the raw output)"
  cat "$work/$name.txt" >>"$raw"
}

# parse NAME: "rps p50_ms p99_ms max_ms requests accepted non202 statuses socket_errors" from wrk's output.
parse() {
  awk "$WRK_MS"'
    /^ +Latency +[0-9]/ { max = ms($4) }
    /^ +50% / { p50 = ms($2) }
    /^ +99% / { p99 = ms($2) }
    /requests in / { reqs = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /Socket errors:/ { sub(/^ +Socket errors: /, ""); gsub(/,? +/, "_"); err = $0 }
    /^async-answers:/ { split($2, a, "="); split($3, b, "="); split($4, c, "="); acc = a[2]; non = b[2]; st = c[2] }
    END {
      if (rps == "") { print "FAILED"; exit }
      printf "%.0f %.3f %.3f %.3f %s %s %s %s %s\n", rps, p50, p99, max, reqs, (acc == "" ? "?" : acc),
             (non == "" ? "?" : non), (st == "" ? "?" : st), (err ? err : "-")
    }' "$work/$1.txt"
}

# --- part 1: accepted async requests per second --------------------------------------------------
# Wait for a quiet machine before the warm-up: after it, the server itself is busy running its backlog.
wait_quiet
snapshot "before part 1"
if [ "$WARMUP" -gt 0 ]; then
  log "part 1: warm-up, ${WARMUP}s of async submissions with $CONNECTIONS connections (discarded)"
  wrk_run warmup "$WARMUP"
fi
log "part 1: measuring, ${DURATION}s of async submissions with $CONNECTIONS connections"
read -r q0 r0 s0 f0 o0 <<<"$(db_counts)"
# Once a second from here until the backlog has drained: the newest row's seq (requests accepted so
# far), the queue's length and the requests run so far, read from requests.db by one python process
# (a few ms of CPU a second).
python3 - "$data_dir/requests.db" >"$work/series.txt" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=30)
t0 = time.time()
while True:
    seq = db.execute("SELECT MAX(seq) FROM requests").fetchone()[0] or 0
    queued = db.execute("SELECT COUNT(*) FROM requests WHERE state = 'QUEUED'").fetchone()[0]
    done = db.execute("SELECT COUNT(*) FROM requests WHERE state = 'SUCCEEDED'").fetchone()[0]
    print("%.2f %d %d %d" % (time.time() - t0, seq, queued, done), flush=True)
    time.sleep(max(0.0, 1 - (time.time() - t0) % 1))
PY
sampler_pid=$!
cpu_start
wrk_run intake "$DURATION"
cpu_stop intake
# Server-side accepted/s and run/s over the first and the last third of the measured run.
read -r early_in early_run late_in late_run early_q late_q <<<"$(awk -v d="$DURATION" '
  { t[NR] = $1; s[NR] = $2; q[NR] = $3; r[NR] = $4 }
  END {
    # samples 1..n, one a second from the start of wrk; thirds by time
    n = NR; a = 1; b = 1; c = n; e = n
    for (i = 1; i <= n; i++) { if (t[i] <= d / 3) b = i; if (t[i] <= 2 * d / 3) c = i; if (t[i] <= d) e = i }
    if (b <= a || e <= c) { print "? ? ? ? ? ?"; exit }
    printf "%.0f %.0f %.0f %.0f %d %d\n", (s[b] - s[a]) / (t[b] - t[a]), (r[b] - r[a]) / (t[b] - t[a]),
           (s[e] - s[c]) / (t[e] - t[c]), (r[e] - r[c]) / (t[e] - t[c]), q[a], q[e]
  }' "$work/series.txt")"
read -r q1 r1 s1 f1 o1 <<<"$(db_counts)"
t_end_wrk="$(date +%s.%N)"
size_after_wrk="$(db_size)"
rss_after_wrk="$(rss_mib "$server_pid")"
read -r rps p50 p99 maxlat reqs accepted non202 statuses sockerr <<<"$(parse intake)"
if [ "$rps" = "FAILED" ]; then
  echo "wrk produced no Requests/sec line: see $raw" >&2
  exit 1
fi
warm_accepted=0
if [ "$WARMUP" -gt 0 ]; then
  read -r _ _ _ _ _ warm_accepted _ _ _ <<<"$(parse warmup)"
fi
log "part 1: $rps accepted/s, p50 $p50 ms, p99 $p99 ms; $accepted 202s, $non202 others ($statuses)"

# --- the backlog -------------------------------------------------------------------------------
# The dispatcher has been running the accepted requests all along, through the gateway, on the one
# echo instance. Part 2 needs a quiet queue: wait until nothing is queued or running.
log "waiting for the backlog to be run ($q1 queued, $r1 running when wrk stopped)"
cpu_start
drained=""
t_drain0="$(date +%s)"
while :; do
  left="$(curl -fsS "$server/v1/requests?service=echo&state=queued,running&limit=1" \
      | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["requests"]))')"
  if [ "$left" = "0" ]; then
    drained=yes
    break
  fi
  if [ $(( $(date +%s) - t_drain0 )) -ge "$DRAIN_TIMEOUT" ]; then
    break
  fi
  sleep 1
done
cpu_stop drain
t_drained="$(date +%s.%N)"
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""
{ echo "===== once a second from the start of the measured run until the backlog drained: seconds, max(seq), queued, succeeded"
  cat "$work/series.txt"; } >>"$raw"
# The dispatcher's pace over the first and the last third of the drain, and the queue's length then; and its pace
# while a backlog was queued (from the first sample after wrk to the last that still found requests queued), which
# the wall time to the end of the drain understates: that is polled once a second and ends with the queue empty.
read -r drain_early drain_early_q0 drain_early_q1 drain_late drain_late_q0 drain_late_q1 drain_queued drain_queued_s <<<"$(awk -v d="$DURATION" '
  $1 >= d { n++; t[n] = $1; q[n] = $3; r[n] = $4 }
  END {
    if (n < 4) { print "? ? ? ? ? ? ? ?"; exit }
    b = 1; c = n; k = 1; span = t[n] - t[1]
    for (i = 1; i <= n; i++) {
      if (t[i] <= t[1] + span / 3) b = i; if (t[i] < t[1] + 2 * span / 3) c = i + 1; if (q[i] > 0) k = i
    }
    if (b <= 1 || c >= n) { print "? ? ? ? ? ? ? ?"; exit }
    printf "%.0f %d %d %.0f %d %d ", (r[b] - r[1]) / (t[b] - t[1]), q[1], q[b], (r[n] - r[c]) / (t[n] - t[c]), q[c], q[n]
    if (k > 1) printf "%.0f %.0f\n", (r[k] - r[1]) / (t[k] - t[1]), t[k] - t[1]; else print "? ?"
  }' "$work/series.txt")"
read -r q2 r2 s2 f2 o2 <<<"$(db_counts)"
size_after_drain="$(db_size)"
rss_after_drain="$(rss_mib "$server_pid")"
if [ -z "$drained" ]; then
  echo "the backlog did not drain within ${DRAIN_TIMEOUT}s ($q2 queued, $r2 running, $s2 succeeded)" >&2
  exit 1
fi
drain_secs="$(awk -v a="$t_end_wrk" -v b="$t_drained" 'BEGIN { printf "%.1f", b - a }')"
drain_rate="$(awk -v n="$((s2 - s1))" -v a="$t_end_wrk" -v b="$t_drained" 'BEGIN { printf "%.0f", n / (b - a) }')"
log "backlog run in ${drain_secs}s after wrk stopped ($drain_rate requests/s; $drain_queued/s while requests were queued); $s2 succeeded, $f2 failed"

# --- part 2: submit-to-result latency on a quiet queue -------------------------------------------
wait_quiet
snapshot "before part 2"
log "part 2: $N sequential requests, each submitted and then long-polled to its result"
cpu_start
python3 - "$port" "$N" "$timings" >"$work/latency.txt" <<'PY'
import http.client, json, sys, time
from datetime import datetime

port, n, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
body = b'{"hello":"world","n":42}'
sent = json.loads(body)
headers = {"Content-Type": "application/json", "Prefer": "respond-async"}
submit_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)   # keep-alive, one per direction
poll_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))

def ms(a, b):
    return (instant(b) - instant(a)).total_seconds() * 1000

def one():
    t0 = time.perf_counter()
    submit_conn.request("POST", "/v1/services/echo/echo", body=body, headers=headers)
    r = submit_conn.getresponse()
    answer = r.read()
    t1 = time.perf_counter()
    if r.status != 202:
        raise SystemExit(f"the submit answered {r.status}: {answer[:300]!r}")
    location = r.getheader("Location")
    poll_conn.request("GET", location + "?wait=30s")
    p = poll_conn.getresponse()
    final = json.loads(p.read())
    t2 = time.perf_counter()
    if p.status != 200:
        raise SystemExit(f"GET {location}?wait=30s answered {p.status}: {final}")
    ok = final["state"] == "succeeded" and final.get("result", {}).get("body") == sent
    return final, ok, (t1 - t0) * 1000, (t2 - t0) * 1000

# A few unmeasured rounds first: part 1 warmed the submit path, not the long poll.
for _ in range(min(50, max(5, n // 10))):
    one()

rows, bad = [], []
for i in range(n):
    final, ok, submit_ms, wall_ms = one()
    if not ok:
        bad.append(final)
        continue
    rows.append((submit_ms, wall_ms, ms(final["acceptedAt"], final["finishedAt"]),
                 ms(final["acceptedAt"], final["startedAt"]), ms(final["startedAt"], final["finishedAt"]),
                 final["attempts"]))
with open(out, "w") as f:
    f.write("submit_ms\tsubmit_to_result_wall_ms\tserver_finished_minus_accepted_ms\tqueued_ms\trunning_ms\tattempts\n")
    for r in rows:
        f.write("%.3f\t%.3f\t%.0f\t%.0f\t%.0f\t%d\n" % r)

def pct(xs, p):  # nearest rank
    xs = sorted(xs)
    return xs[max(0, min(len(xs) - 1, -(-len(xs) * p // 100) - 1))]

names = ["submit", "wall", "server", "queued", "running"]
for k, name in enumerate(names):
    xs = [r[k] for r in rows]
    print(name, "%.1f %.1f %.1f" % (pct(xs, 50), pct(xs, 99), max(xs)) if xs else "- - -")
print("count", len(rows), len(bad), sum(1 for r in rows if r[5] > 1))
if bad:
    print("bad", json.dumps(bad[0])[:500])
PY
cpu_stop latency
lat() { awk -v k="$1" '$1 == k { print $2, $3, $4 }' "$work/latency.txt"; }
read -r lat_ok lat_bad lat_retried <<<"$(awk '$1 == "count" { print $2, $3, $4 }' "$work/latency.txt")"
log "part 2: server-side submit-to-result p50/p99/max $(lat server) ms"

# --- part 3: sync calls through the same gateway, for the drain's ratio ---------------------------
# The same server and instance answering sync calls from 16 connections (as many as the instance's slots), right
# after: the drain's pace over this is a ratio measured in one run, not across runs of two scripts.
wait_quiet
log "part 3: ${SYNC_DURATION}s of sync calls with 16 connections, after 3 s of warm-up"
sync_lua="$here/bench/echo-post.lua"
wrk -t"$THREADS" -c16 -d3s -s "$sync_lua" "$server/v1/services/echo/echo" >/dev/null 2>&1 || true
echo "===== sync: wrk -t$THREADS -c16 -d${SYNC_DURATION}s --latency -s bench/echo-post.lua $server/v1/services/echo/echo" >>"$raw"
cpu_start
wrk -t"$THREADS" -c16 -d"${SYNC_DURATION}s" --latency -s "$sync_lua" "$server/v1/services/echo/echo" \
    >"$work/sync.txt" 2>&1 || log "wrk exited with status $? for sync (see the raw output)"
cpu_stop sync
cat "$work/sync.txt" >>"$raw"
read -r sync_rps sync_p50 sync_p99 _ <<<"$(parse sync)"
drain_ratio="$(awk -v d="$drain_queued" -v s="$sync_rps" 'BEGIN { if (d + 0 > 0 && s + 0 > 0) printf "%.2f", d / s; else print "?" }')"
log "part 3: $sync_rps sync calls/s; the drain while queued ($drain_queued/s) is $drain_ratio of that"

# --- report ------------------------------------------------------------------------------------
machine="$(machine_line); commit $commit"
log_problems="$(grep -cE 'ERROR|WARN|Exception' "$data_dir/server.log" || true)"
rows0=$((q0 + r0 + s0 + f0 + o0)); rows1=$((q1 + r1 + s1 + f1 + o1)); rows2=$((q2 + r2 + s2 + f2 + o2))
server_accepted=$((rows1 - rows0))   # rows the measured run added: what the server accepted

out="$work/report.md"
{
  echo "## Async requests: durable intake with $CONNECTIONS submitters, and submit-to-result latency"
  echo
  echo "Machine: $machine"
  echo
  echo "Measured: flowhost.jar built $jar_built (the checkout was at the commit above). Data directory on $data_fs;"
  echo "one fdatasync there takes ${fsync_ms} ms (median of 200)."
  echo
  echo "### 1. Accepted async requests per second"
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS, ${WARMUP} s warm-up (discarded), ${DURATION} s measured, --latency; POST $body"
  echo "(Content-Type: application/json, Prefer: respond-async) to /v1/services/echo/echo; the echo deployment"
  echo "has one instance and max-queued=10000000."
  echo
  echo "| Conns | accepted req/s | 202s | not 202 | p50 ms | p99 ms | max ms |"
  echo "|------:|---------------:|-----:|--------:|-------:|-------:|-------:|"
  echo "| $CONNECTIONS | $rps | $accepted | $non202 | $p50 | $p99 | $maxlat |"
  echo
  echo "Every 202 was sent only after its request was committed to requests.db (SQLite, WAL) and"
  echo "the WAL fdatasynced after that commit: one writer thread commits everything waiting in one"
  echo "transaction (group commit), and a second flushes the WAL once for all the commits made during"
  echo "its previous flush, while the writer runs the next batch."
  echo
  echo "The measured run added $server_accepted requests to requests.db; wrk saw $accepted of their 202s (the rest were"
  echo "in flight, committed but not yet answered, when wrk stopped and closed its connections). With the"
  echo "warm-up (wrk saw $warm_accepted 202s) and one check call, the store held $rows2 requests in all."
  if [ "$WARMUP" -gt 0 ]; then
    echo "(The warm-up's own pace, on a server that had just started: $((warm_accepted / WARMUP)) accepted/s; the JIT is"
    echo "still compiling the hot paths then, which is why it is discarded.)"
  fi
  echo "The dispatcher runs them meanwhile, in arrival order, through the gateway, on the one echo instance:"
  echo
  echo "| When | queued | running | succeeded | failed | other | requests.db* on disk |"
  echo "|------|-------:|--------:|----------:|-------:|------:|------|"
  echo "| measured run starts | $q0 | $r0 | $s0 | $f0 | $o0 | |"
  echo "| wrk stops | $q1 | $r1 | $s1 | $f1 | $o1 | $size_after_wrk |"
  echo "| backlog drained, ${drain_secs} s later | $q2 | $r2 | $s2 | $f2 | $o2 | $size_after_drain |"
  echo
  echo "Once a second during the run (read from requests.db): over the first third the server accepted"
  echo "$early_in/s and the dispatcher ran $early_run/s, starting with $early_q queued; over the last third, $late_in/s"
  echo "accepted and $late_run/s run, with $late_q queued at the end. (Per-second series in the raw output.)"
  echo
  echo "During the measured run the dispatcher ran $((s1 - s0)) requests to completion ($(awk -v n="$((s1 - s0))" -v t="$(cut -d' ' -f7 "$work/intake.cpu")" 'BEGIN { printf "%.0f", n / t }')/s)."
  echo "After wrk stopped, the dispatcher ran $((s2 - s1)) requests in ${drain_secs} s: $drain_rate requests/s with no"
  echo "submissions beside it; $drain_early/s over the first third of that time (queue $drain_early_q0 → $drain_early_q1),"
  echo "$drain_late/s over the last third (queue $drain_late_q0 → $drain_late_q1); $drain_queued/s over the ${drain_queued_s} s"
  echo "in which requests were still queued (the wall time above ends with an empty queue and is polled once a second)."
  echo "(Counts read from requests.db with a read-only SQLite connection.)"
  echo
  echo "### 2. Submit-to-result latency, quiet queue"
  echo
  echo "After the backlog of part 1 had drained (GET /v1/requests?service=echo&state=queued,running&limit=1"
  echo "polled until empty; same server, same requests.db), $N sequential requests from python3"
  echo "(http.client, keep-alive): submit (202), then GET /v1/requests/{id}?wait=30s until final; a few"
  echo "unmeasured rounds first. Server side = finishedAt − acceptedAt from the final JSON (millisecond"
  echo "timestamps); client side = wall time of submit + long poll."
  echo
  echo "| ms | p50 | p99 | max |"
  echo "|----|----:|----:|----:|"
  echo "| server: finishedAt − acceptedAt | $(lat server | awk '{ print $1 " | " $2 " | " $3 }') |"
  echo "| … of which queued: startedAt − acceptedAt | $(lat queued | awk '{ print $1 " | " $2 " | " $3 }') |"
  echo "| … of which running: finishedAt − startedAt | $(lat running | awk '{ print $1 " | " $2 " | " $3 }') |"
  echo "| client: submit (202) | $(lat submit | awk '{ print $1 " | " $2 " | " $3 }') |"
  echo "| client: submit + long poll to the result | $(lat wall | awk '{ print $1 " | " $2 " | " $3 }') |"
  echo
  echo "$lat_ok succeeded with the echoed body, $lat_bad did not, $lat_retried needed more than one attempt."
  echo
  echo "### 3. Sync calls through the same gateway, against which the drain is read"
  echo
  echo "Right after part 2, on the same server and instance: wrk -t$THREADS -c16 (the instance's 16 slots), 3 s of"
  echo "warm-up, then ${SYNC_DURATION} s: POST of the same body without Prefer: respond-async."
  echo
  echo "| sync calls/s | p50 ms | p99 ms | drain while queued, runs/s | drain ÷ sync |"
  echo "|--:|--:|--:|--:|--:|"
  echo "| $sync_rps | $sync_p50 | $sync_p99 | $drain_queued | $drain_ratio |"
  echo
  echo "CPU used, in cores (of $(nproc)); client = wrk in parts 1 and 3, python3 in part 2:"
  echo
  echo "| Part | seconds | server | instance | client | whole machine | other processes | softirq (in the above) |"
  echo "|------|--------:|-------:|---------:|-------:|--------------:|----------------:|-----------------------:|"
  busy_others=""
  for p in intake drain latency sync; do
    read -r cs ci cw cm co cq secs <"$work/$p.cpu"
    case "$p" in
      intake) label="1. submissions (wrk)" ;;
      drain) label="backlog after wrk" ;;
      latency) label="2. sequential submit + poll" ;;
      sync) label="3. sync calls (wrk)" ;;
    esac
    echo "| $label | $secs | $cs | $ci | $cw | $cm | $co | $cq |"
    if awk -v o="$co" 'BEGIN { exit !(o > 0.2) }'; then busy_others+=" $label ($co cores)"; fi
  done
  echo
  echo "Notes:"
  echo
  if [ "$non202" != "0" ] || [ "$sockerr" != "-" ]; then
    echo "- Part 1 had answers other than 202 ($non202: $statuses) or socket errors ($sockerr); the"
    echo "  latency percentiles include them."
  else
    echo "- Part 1: every answer was a 202 (counted by the wrk script's response hook), no socket errors."
  fi
  if [ "$accepted" != "?" ] && [ "$accepted" != "$reqs" ]; then
    echo "- wrk counted $reqs responses but the hook counted $accepted 202s + $non202 others."
  fi
  if [ "$f2" != "0" ] || [ "$o2" != "0" ]; then
    echo "- $f2 requests of the backlog failed and $o2 ended in another state (cancelled/expired)."
  fi
  echo "- Server RSS: ${rss_after_wrk} MiB when wrk stopped, ${rss_after_drain} MiB after the backlog drained."
  echo "- Server log: $log_problems lines mention ERROR, WARN or Exception."
  if [ -n "$busy_others" ]; then
    echo "- Other processes on the machine used CPU during:$busy_others; those figures are disturbed."
  fi
  echo "- The wrk script's response() hook costs wrk CPU per answer; wrk shares the $(nproc) cores with the"
  echo "  server (intake and dispatcher) and the echo instance, which runs the backlog at the same time."
  echo "- Debian's wrk corrects latency percentiles for coordinated omission without saying so: read p99"
  echo "  as indicative only."
  echo "- Raw wrk output and top snapshots: bench/results/$(basename "$raw"); per-request timings of part 2:"
  echo "  bench/results/$(basename "$timings")"
} >"$out"

cp "$out" "$report"
cat "$out"
log "report written to $report"
