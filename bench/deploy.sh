#!/usr/bin/env bash
# Deploy: how long POST /v1/deployments of the iris example takes, from the request to its 201 (the jar kept and
# checked, the first instance started and ready, the version made active), and the CPU the server and its JVMs spend
# on it.
#
#   bash bench/deploy.sh                      # RUNS=8 deploys with no warm spare, then 8 with one
#   SPARES=0 RUNS=12 bash bench/deploy.sh     # one configuration
#   SERVER_OPTS=--instance-jvm-option=-Xshare:auto bash bench/deploy.sh   # more server options (here: no class
#                                             # cache recorded by instances, to tell its cost apart)
#
# Each deploy sends a jar of its own (the iris jar with one entry added, so that no check is remembered from an
# earlier one) as the next version of the service, after QUIET seconds (default 5: the previous version's instance
# stopped, a spare warm). The CPU is the server's, its instances' and the JVMs it started and reaped (from /proc),
# from before the request to SETTLE seconds (default 2) after the 201, so that the first instance's early JIT work is
# in it. Prints a markdown report and saves it under bench/results/ (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. bin/find-java.sh
RUNS="${RUNS:-8}"
QUIET="${QUIET:-5}"
SETTLE="${SETTLE:-2}"
SPARES="${SPARES:-0 1}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"
iris="$here/examples/iris/target/iris-service.jar"
# shellcheck source=lib.sh
. bench/lib.sh
whole_numbers RUNS QUIET SETTLE
bench_setup deploy
bench_files deploy
[ -f "$iris" ] || ./flowhost build

# The ticks of the server's tree: its own, those of the children it reaped, and its live children's.
tree_ticks() {
  local t c
  t=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$server_pid/stat")
  for c in $(pgrep -P "$server_pid" || true); do
    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}

rows=()
for spares in $SPARES; do
  # shellcheck disable=SC2086
  launch_server --warm-spares "$spares" --metaflow-root "$here/examples/iris/metaflow" ${SERVER_OPTS:-}
  log "$RUNS deploys with --warm-spares $spares"
  : >"$work/times"
  for i in $(seq 1 "$RUNS"); do
    python3 - "$iris" "$work/iris-$i.jar" "$i" <<'PY'
import shutil, sys, zipfile
shutil.copyfile(sys.argv[1], sys.argv[2])
with zipfile.ZipFile(sys.argv[2], "a") as z:
    z.writestr("bench/deploy-" + sys.argv[3], sys.argv[3])
PY
    sleep "$QUIET"
    before=$(tree_ticks)
    answer=$(curl -s -o "$work/answer.json" -w '%{http_code} %{time_total}' --data-binary @"$work/iris-$i.jar" \
      -H 'Content-Type: application/java-archive' "$base/v1/deployments")
    sleep "$SETTLE"
    after=$(tree_ticks)
    code=${answer% *}
    if [ "$code" != 201 ]; then
      echo "deploy $i answered $code: $(cat "$work/answer.json")" >&2
      exit 1
    fi
    echo "${answer#* } $(((after - before) * 1000 / clk_tck))" >>"$work/times"
  done
  stop_server
  rm -rf "$data_dir"
  rows+=("$(python3 - "$spares" "$work/times" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[2])]
ms = sorted(float(r[0]) * 1000 for r in rows)
cpu = sorted(int(r[1]) for r in rows)
print("| %s | %d | %.0f | %.0f–%.0f | %.0f |" % (
    sys.argv[1], len(ms), statistics.median(ms), ms[0], ms[-1], statistics.median(cpu)))
PY
)")
done

{
  echo "# Deploy of the iris example ($(machine_line))"
  echo
  echo "Commit $commit${SERVER_OPTS:+, server options $SERVER_OPTS}. Each deploy a jar of its own, the next version of the service; CPU from the request to ${SETTLE} s after the 201."
  echo
  echo "| Warm spares | Deploys | p50 ms to 201 | min–max ms | CPU ms p50 |"
  echo "|--:|--:|--:|--:|--:|"
  printf '%s\n' "${rows[@]}"
} | tee "$report"
