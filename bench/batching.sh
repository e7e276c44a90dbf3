#!/usr/bin/env bash
# Batching benchmark (issue #16): a deterministic MLP (bench/batch-model.py, WIDTH wide: at 2048 its 36 MB of weights
# outgrow the CPU's caches, so a single-row inference costs about a millisecond) served
# with no code twice on one server, (a) as is and (b) with --batch max=64,delay=2ms, each on one instance; 1-row
# Open Inference Protocol requests through the gateway. Same run, rounds alternating a and b:
#   at 64 connections: throughput b/a (target >= 3) and p99 (target: b's <= a's + the 2 ms delay);
#   at 1 connection: p50 (target: b's <= a's + 0.1 ms, a lone call never waits).
# Prints a markdown report and keeps it in bench/results/batching-<timestamp>.md (git-ignored).
#
#   bash bench/batching.sh                    2 rounds of 15 s at 64 and at 1 connection
#
# Knobs: DURATION (15), WARMUP (10), ROUNDS (2), CONNECTIONS (64), THREADS (2), MAX (64), DELAY (2ms), WIDTH (2048),
# QUIET_WAIT (20).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-10}"
ROUNDS="${ROUNDS:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
QUIET_WAIT="${QUIET_WAIT:-20}"
MAX="${MAX:-64}"
DELAY="${DELAY:-2ms}"
WIDTH="${WIDTH:-2048}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers DURATION WARMUP ROUNDS CONNECTIONS THREADS QUIET_WAIT MAX WIDTH
bench_setup batching
bench_files batching
if ! /usr/bin/python3 -c 'import onnx, numpy' 2>/dev/null; then
  apt_install python3-onnx "Debian's python3-onnx (to write the model)"
fi

# --- the model, the server, the two deployments -----------------------------------------------
mkdir -p "$work/models"
/usr/bin/python3 bench/batch-model.py "$work/models/mlp.onnx" "$WIDTH"
launch_server --artifact-root "$work/models"
deploy_model() { # NAME [OPTION...]
  "${java[@]}" -jar "$jar" deploy --onnx "file:$work/models/mlp.onnx" --name "$1" "${@:2}" --server "$base" \
      --min-instances 1 --max-instances 1 --max-concurrency 256 --target-in-flight 256 >&2
}
deploy_model mlp
deploy_model mlp-batched --batch "max=$MAX,delay=$DELAY"

# One row of 256 features, the same for every call.
python3 - "$work/infer.lua" <<'PY'
import sys
values = ", ".join("%.3f" % ((i * 37 % 101) / 101.0) for i in range(256))
body = '{"inputs": [{"name": "features", "shape": [1, 256], "datatype": "FP32", "data": [%s]}]}' % values
with open(sys.argv[1], "w") as f:
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' % body)
PY
lua="$work/infer.lua"
for name in mlp mlp-batched; do
  code="$(curl -s -o "$work/answer" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      --data "$(sed -n 's/^wrk.body = \[\[\(.*\)\]\]$/\1/p' "$lua")" "$base/v2/models/$name/infer")"
  [ "$code" = 200 ] || { echo "POST /v2/models/$name/infer answered $code: $(cat "$work/answer")" >&2; exit 1; }
done

# --- load --------------------------------------------------------------------------------------
many="$CONNECTIONS"
log "warm-up ${WARMUP}s each"
wrk_run warm-a "$base/v2/models/mlp/infer" "$WARMUP" "$server_pid"
wrk_run warm-b "$base/v2/models/mlp-batched/infer" "$WARMUP" "$server_pid"
for r in $(seq 1 "$ROUNDS"); do
  for kind in a b; do
    name=mlp; [ "$kind" = b ] && name=mlp-batched
    log "round $r: $name at $many connections, ${DURATION}s"
    wait_quiet
    CONNECTIONS="$many" wrk_run "$kind-many-$r" "$base/v2/models/$name/infer" "$DURATION" "$server_pid"
  done
  for kind in a b; do
    name=mlp; [ "$kind" = b ] && name=mlp-batched
    log "round $r: $name at 1 connection, ${DURATION}s"
    wait_quiet
    CONNECTIONS=1 THREADS=1 wrk_run "$kind-one-$r" "$base/v2/models/$name/infer" "$DURATION" "$server_pid"
  done
done
curl -fsS "$base/metrics" >"$work/metrics.txt"
mean_batch="$(awk '/^flowhost_batch_size_sum\{/ { s += $2 } /^flowhost_batch_size_count\{/ { c += $2 } END { printf "%.1f", (c ? s / c : 0) }' "$work/metrics.txt")"

# --- report ------------------------------------------------------------------------------------
machine="$(machine_line)"
out="$work/report.md"
{
  echo "## Batching: an MLP ($WIDTH wide) as is (a) vs with --batch max=$MAX,delay=$DELAY (b), 1-row requests through the gateway"
  echo
  echo "Machine: $machine"
  echo
  echo "Measured: flowhost.jar built $jar_built, checkout at $commit. One instance each, ${DURATION} s rounds."
  echo
  echo "| Round | connections | a req/s | b req/s | b/a | a p50 ms | b p50 ms | b−a p50 ms | a p99 ms | b p99 ms | b−a p99 ms |"
  echo "|------:|------------:|--------:|--------:|----:|---------:|---------:|-----------:|---------:|---------:|-----------:|"
  errors=""
  for r in $(seq 1 "$ROUNDS"); do
    for load in many one; do
      c="$many"; [ "$load" = one ] && c=1
      read -r a_rps a_p50 a_p99 a_reqs a_err <<<"$(wrk_parse "$work/a-$load-$r.txt")"
      read -r b_rps b_p50 b_p99 b_reqs b_err <<<"$(wrk_parse "$work/b-$load-$r.txt")"
      awk -v r="$r" -v c="$c" -v ar="$a_rps" -v br="$b_rps" -v a50="$a_p50" -v b50="$b_p50" -v a99="$a_p99" -v b99="$b_p99" \
        'BEGIN { printf "| %s | %s | %d | %d | %.2f | %.3f | %.3f | %+.3f | %.3f | %.3f | %+.3f |\n", r, c, ar, br, br / ar, a50, b50, b50 - a50, a99, b99, b99 - a99 }'
      if [ "$a_err" != "-" ]; then errors+="- round $r, a, $c connections: $a_err (of $a_reqs)"$'\n'; fi
      if [ "$b_err" != "-" ]; then errors+="- round $r, b, $c connections: $b_err (of $b_reqs)"$'\n'; fi
    done
  done
  echo
  if [ -n "$errors" ]; then printf 'wrk reported:\n\n%s\n' "$errors"; else echo "No socket error and no non-2xx."; fi
  echo
  echo "Mean batch size over the whole run (flowhost_batch_size on /metrics): $mean_batch."
  echo
  echo "Raw wrk output: bench/results/$(basename "$raw")"
} >"$out"
cp "$out" "$report"
cat "$out"
log "report written to $report"
