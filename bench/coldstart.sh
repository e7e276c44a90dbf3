#!/usr/bin/env bash
# Cold start: the iris example from zero instances to its first answer, through the gateway.
#
#   bash bench/coldstart.sh            # RUNS=15 per configuration by default
#   CONFIGS=aot RUNS=8 bash bench/coldstart.sh   # one configuration
#
# For each configuration (a warm spare handed the deployment, the default; a JVM started for the
# instance mapping its per-deployment AOT cache, JDK 25+; the same with the AppCDS archive used
# before; the same with class-data sharing off), it starts a server, deploys examples/iris with a 1 s
# idle timeout, and times cold starts: waits until the deployment has scaled to zero, then times one
# predict call with curl (the call is held by the activator, wakes the deployment, and is answered by
# the new instance). It also collects each instance's cold-start breakdown from the server log.
#
# The configurations are measured in two rounds, in CONFIGS' order and then in the reverse order
# (A B, then B A), each round on servers of its own with half of RUNS: whichever configuration runs
# first in a sitting comes out 10-35 ms faster here whatever it is, so a single order would favour
# one. The report gives each round's median beside the whole. Prints a markdown report and saves it
# under bench/results/ (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. bin/find-java.sh
RUNS="${RUNS:-15}"
case "$RUNS" in '' | *[!0-9]* | 0) echo "[coldstart] RUNS must be a whole number of cold starts above 0, not '$RUNS'" >&2; exit 2 ;; esac
CONFIGS="${CONFIGS:-spare aot appcds noshare}"   # a subset, e.g. CONFIGS=aot, to measure one
jar=flowhost-cli/target/flowhost.jar
iris=examples/iris/target/iris-service.jar
if [ ! -f "$jar" ] || [ ! -f "$iris" ]; then
  echo "[coldstart] building flowhost ..." >&2
  ./flowhost build
fi
java_opts=(--enable-native-access=ALL-UNNAMED)
if [ "$(java_major "$JAVA_HOME")" -ge 23 ] 2>/dev/null; then java_opts+=(--sun-misc-unsafe-memory-access=allow); fi
mkdir -p bench/results
stamp=$(date -u +%Y%m%d-%H%M%S)
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

measure() {   # $1 = label, $2 = round (1 or 2), $3 = cold starts, rest = extra server options
  local label=$1 round=$2 runs=$3; shift 3
  local port data log i
  port=$(free_port); data="$work/$label.r$round"; log="$work/$label.r$round.log"
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" "${java_opts[@]}" ${SERVER_JVM_OPTS:-} -jar "$jar" server --port "$port" --data-dir "$data" \
    --metaflow-root examples/iris/metaflow "$@" > "$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  "$JAVA_HOME/bin/java" -jar "$jar" deploy "$iris" --server "http://127.0.0.1:$port" --idle-timeout 1s \
    --stable-window 1s --panic-window 1s --scale-down-delay 0s > /dev/null
  echo "[coldstart] round $round, $label: $runs cold starts" >&2
  : > "$work/$label.all-times"
  # One wake first, not timed: by the first timed one the deployment's class cache is written (by the deploy's
  # instance, or, when that was the JVM that checked the jar or a spare, by this wake's), and the timed ones map it.
  for i in $(seq 0 "$runs"); do
    until ! curl -s "http://127.0.0.1:$port/v1/status/iris" | grep -q '"instances":\[{'; do sleep 0.1; done
    # Let the stopped instance's exit (and a cache dump) finish, and a spare started after the last wake warm up, as
    # it has long done by the time a deployment idles out (a minute by default, 1 s here).
    if [ "$i" = 0 ]; then sleep 3; else sleep 2.5; fi
    curl -s -o /dev/null -w '%{time_total}\n' -H 'Content-Type: application/json' \
      -d '{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}' \
      "http://127.0.0.1:$port/v1/services/iris/predict" >> "$work/$label.all-times"
  done
  tail -n +2 "$work/$label.all-times" > "$work/$label.r$round.times"
  cat "$work/$label.r$round.times" >> "$work/$label.times"
  # An idle warm spare's memory, once the last instance has gone and the spare has been idle a while.
  until ! curl -s "http://127.0.0.1:$port/v1/status/iris" | grep -q '"instances":\[{'; do sleep 0.1; done
  sleep 10
  for child in $(pgrep -P "$server_pid"); do
    if tr '\0' ' ' < "/proc/$child/cmdline" | grep -q -- ' --spare'; then
      awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { printf "%.1f %.1f\n", r / 1024, p / 1024 }' \
        "/proc/$child/smaps_rollup" >> "$work/$label.spare-memory"
    fi
  done
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  # the deploy's start and the untimed wake's are left out
  grep -o 'cold start of iris-v1-[0-9]*[^:]*: .*' "$log" | tail -n +3 >> "$work/$label.breakdown" || true
}

run_config() {   # $1 = label, $2 = round, $3 = cold starts
  case $1 in
    spare) measure spare "$2" "$3" ;;                   # the default: a warm spare is handed the deployment
    aot) measure aot "$2" "$3" --warm-spares 0 ;;        # a JVM started for the instance, mapping its AOT cache (JDK 25+)
    appcds)                                            # the same with the dynamic AppCDS archive instead
      SERVER_JVM_OPTS=-Dflowhost.instances.appcds=true measure appcds "$2" "$3" --warm-spares 0 ;;
    noshare) measure noshare "$2" "$3" --warm-spares 0 --instance-jvm-option=-Xshare:off ;;
    *) echo "[coldstart] unknown configuration in CONFIGS: $1 (expected: spare aot appcds noshare)" >&2; exit 2 ;;
  esac
}

read -r -a configs <<< "$CONFIGS"
first_half=$(( (RUNS + 1) / 2 )); second_half=$(( RUNS / 2 ))
for label in "${configs[@]}"; do run_config "$label" 1 "$first_half"; done
if [ "$second_half" -gt 0 ]; then
  for (( c = ${#configs[@]} - 1; c >= 0; c-- )); do run_config "${configs[c]}" 2 "$second_half"; done
fi

report=$(python3 - "$work" "$RUNS" <<'PY'
import re, statistics, sys, os
work, runs = sys.argv[1], int(sys.argv[2])
labels = [l for l in ("spare", "aot", "appcds", "noshare") if os.path.exists(os.path.join(work, l + ".times"))]
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
def times(name):
    path = os.path.join(work, name + ".times")
    return [float(x) * 1000 for x in open(path) if x.strip()] if os.path.exists(path) else []
rows, rounds, parts = {}, {}, {}
for label in labels:
    t = times(label)
    rows[label] = (statistics.median(t), pct(t, 90), min(t), max(t))
    rounds[label] = [statistics.median(r) if r else None for r in (times(label + ".r1"), times(label + ".r2"))]
    cols = {}
    for line in open(os.path.join(work, label + ".breakdown")):
        m = re.search(r": (\d+) ms = (.*)$", line)
        if not m:
            continue
        cols.setdefault("total", []).append(int(m.group(1)))
        for part in m.group(2).split(" + "):
            name, value = part.rsplit(" ", 1)
            cols.setdefault(name, []).append(int(value))
    parts[label] = {k: statistics.median(v) for k, v in cols.items()}
names = {"spare": "warm spare handed the deployment (default)",
         "aot": "JVM started for it, AOT cache per deployment (--warm-spares 0; the default on JDK 25+)",
         "appcds": "JVM started for it, AppCDS archive per deployment (--warm-spares 0, as before)",
         "noshare": "JVM started for it, class-data sharing off (--warm-spares 0, -Xshare:off)"}
def ms(x):
    return "-" if x is None else f"{x:.0f}"
print("| Configuration | first answer p50 ms | p90 ms | min ms | max ms | p50, round 1 | p50, round 2 |")
print("|---|--:|--:|--:|--:|--:|--:|")
for label in labels:
    p50, p90, lo, hi = rows[label]
    print(f"| {names[label]} | {p50:.0f} | {p90:.0f} | {lo:.0f} | {hi:.0f} | "
          + " | ".join(ms(r) for r in rounds[label]) + " |")
print()
if len(labels) > 1:
    print("Round 1 measured the configurations in the order above, round 2 in the reverse order, each on servers of "
          "its own; a difference smaller than the one between a configuration's two rounds is noise.")
    print()
ratios = [f"{a} / {b} {rows[x][0] / rows[y][0]:.2f}" for a, b, x, y in
          (("spare", "AOT", "spare", "aot"), ("AOT", "AppCDS", "aot", "appcds"), ("AppCDS", "off", "appcds", "noshare"))
          if x in rows and y in rows]
if ratios:
    print(f"Ratios of medians ({runs} cold starts each): " + ", ".join(ratios) + ".")
print()
spare = os.path.join(work, "spare.spare-memory")
if os.path.exists(spare):
    pairs = [line.split() for line in open(spare) if line.strip()]
    print("An idle warm spare (10 s after the last instance stopped, one figure per server): RSS "
          + ", ".join(r for r, _ in pairs) + " MiB; PSS " + ", ".join(p for _, p in pairs)
          + " MiB (PSS counts pages shared with other JVMs, the JDK's class archive and libjvm, in part).")
    print()
print("Instance start (driver asks to instance ready), medians, ms; '-' where the part does not apply:")
print()
cols = ["total", "handoff to a warm spare", "process", "JVM to main", "listening", "constructor", "readiness"]
print("| Configuration | " + " | ".join(cols) + " |")
print("|---|" + "--:|" * len(cols))
for label in labels:
    c = parts[label]
    print(f"| {names[label]} | " + " | ".join(f"{c[k]:.0f}" if k in c else "-" for k in cols) + " |")
PY
)
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
{
  echo "## Cold start: iris from zero to its first answer"
  echo
  echo "Machine: $machine; $(date -u '+%Y-%m-%d %H:%M') UTC; commit $(git rev-parse --short HEAD)."
  echo
  echo "$report"
} | tee "bench/results/coldstart-$stamp.md"
