#!/usr/bin/env bash
# TLS cost benchmark: the echo example called through the gateway over plain HTTP/1.1 and over HTTPS
# (HTTP/1.1 over TLS: wrk speaks no HTTP/2), same machine, same run, alternating. Two servers, each with
# one echo instance: one plain, one with --tls-cert/--tls-key (a self-signed EC P-256 certificate made
# here with openssl; Netty on the JDK's TLS, no native library). wrk keeps its connections open, so this
# measures the record layer (encryption), not handshakes. Prints a markdown report and keeps a copy in
# bench/results/tls-<timestamp>.md (git-ignored; the raw wrk output goes next to it).
#
#   bash bench/tls.sh                     2 rounds of 15 s each way at 16 connections
#   ROUNDS=3 DURATION=30 bash bench/tls.sh
#
# Other knobs: WARMUP (seconds, default 5), CONNECTIONS (default 16), THREADS (wrk -t, default 2),
# QUIET_WAIT (seconds to wait, before each measured run, for other processes to stop using the CPU; default 30).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
CONNECTIONS="${CONNECTIONS:-16}"
ROUNDS="${ROUNDS:-2}"
THREADS="${THREADS:-2}"
QUIET_WAIT="${QUIET_WAIT:-30}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"
lua="$here/bench/echo-post.lua"
body='{"hello":"world","n":42}'

# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers DURATION WARMUP CONNECTIONS ROUNDS THREADS QUIET_WAIT
command -v openssl >/dev/null 2>&1 || { echo "bench/tls.sh needs openssl (to make its certificate)" >&2; exit 1; }
bench_setup tls
bench_files tls

# --- two servers: plain ($server_pid, stopped by lib.sh) and TLS ($tls_pid, stopped by on_exit) ----------
tls_pid=""
tls_instance_pid=""
on_exit() {
  if [ -n "$tls_pid" ]; then
    kill "$tls_pid" 2>/dev/null || true
    await_exit "$tls_pid" 150 || kill -9 "$tls_pid" 2>/dev/null || true
  fi
  if [ -n "$tls_instance_pid" ] && ! await_exit "$tls_instance_pid" 50; then
    kill -9 "$tls_instance_pid" 2>/dev/null || true
  fi
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

plain_port="$(free_port)"
tls_port="$(free_port)"
plain="http://127.0.0.1:$plain_port"
secure="https://127.0.0.1:$tls_port"
mkdir -p "$work/plain" "$work/tls"

log "starting the plain server on $plain and the TLS server on $secure"
data_dir="$work/plain"
"${java[@]}" -jar "$jar" server --port "$plain_port" --data-dir "$work/plain" >"$work/plain/server.log" 2>&1 &
server_pid=$!
"${java[@]}" -jar "$jar" server --port "$tls_port" --data-dir "$work/tls" \
    --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" >"$work/tls/server.log" 2>&1 &
tls_pid=$!
await_healthz "$plain"
server_pid=$tls_pid await_healthz "$secure" --cacert "$work/cert.pem"

# One instance each, never more, taking every connection's call at once (as in bench/gateway.sh).
deploy_echo() { # URL [CLI_OPTION...]: deploys echo and prints its instance's pid
  "${java[@]}" -jar "$jar" deploy "$echo_jar" --server "$1" "${@:2}" --min-instances 1 --max-instances 1 \
    --max-concurrency "$((CONNECTIONS * 2))" --target-in-flight "$((CONNECTIONS * 2))" >&2
  curl -fsS --cacert "$work/cert.pem" "$1/v1/deployments" | python3 -c '
import json, sys
print(json.load(sys.stdin)["deployments"][0]["instances"][0]["pid"])'
}
log "deploying echo to both (to the TLS one with the CLI's --ca-cert)"
instance_pid="$(deploy_echo "$plain")"
tls_instance_pid="$(deploy_echo "$secure" --ca-cert "$work/cert.pem")"

for base in "$plain" "$secure"; do
  answer="$(curl -sS --cacert "$work/cert.pem" -o "$work/answer" -w '%{http_code} %{http_version}' -X POST \
      -H 'Content-Type: application/json' --data "$body" "$base/v1/services/echo/echo")"
  if [ "${answer%% *}" != "200" ]; then
    echo "POST $base/v1/services/echo/echo answered $answer: $(cat "$work/answer")" >&2
    exit 1
  fi
  log "$base answers 200 over HTTP/${answer#* } (curl)"
done

# --- load --------------------------------------------------------------------------------------

log "warm-up ${WARMUP}s each way"
wrk_run warm-plain "$plain/v1/services/echo/echo" "$WARMUP" "$server_pid"
wrk_run warm-tls "$secure/v1/services/echo/echo" "$WARMUP" "$tls_pid"
for r in $(seq 1 "$ROUNDS"); do
  log "round $r: plain, ${DURATION}s"
  wait_quiet
  wrk_run "plain-$r" "$plain/v1/services/echo/echo" "$DURATION" "$server_pid"
  log "round $r: TLS, ${DURATION}s"
  wait_quiet
  wrk_run "tls-$r" "$secure/v1/services/echo/echo" "$DURATION" "$tls_pid"
done

# --- report ------------------------------------------------------------------------------------
machine="$(machine_line)"
tls_line="$(grep -m1 'TLS on:' "$work/tls/server.log" | sed 's/^INFO: //' || true)"

out="$work/report.md"
{
  echo "## TLS: echo through the gateway, plain HTTP/1.1 (a) vs HTTPS, HTTP/1.1 over TLS (b)"
  echo
  echo "Machine: $machine"
  echo
  echo "Measured: flowhost.jar built $jar_built, checkout at $commit. Certificate: EC P-256, self-signed (openssl)."
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS, ${WARMUP} s warm-up each way (discarded), ${DURATION} s measured, rounds alternating;"
  echo "POST $body (Content-Type: application/json) to /v1/services/echo/echo."
  echo
  echo "| Round | a req/s | b req/s | b/a | a p50 ms | b p50 ms | a p99 ms | b p99 ms | a server CPU | b server CPU |"
  echo "|------:|--------:|--------:|----:|---------:|---------:|---------:|---------:|-------------:|-------------:|"
  errors=""
  for r in $(seq 1 "$ROUNDS"); do
    read -r a_rps a_p50 a_p99 a_reqs a_err <<<"$(wrk_parse "$work/plain-$r.txt")"
    read -r b_rps b_p50 b_p99 b_reqs b_err <<<"$(wrk_parse "$work/tls-$r.txt")"
    if [ "$a_rps" = "FAILED" ] || [ "$b_rps" = "FAILED" ]; then
      echo "| $r | wrk failed: see $raw | | | | | | | | |"
      continue
    fi
    awk -v r="$r" -v ar="$a_rps" -v br="$b_rps" -v a50="$a_p50" -v b50="$b_p50" -v a99="$a_p99" -v b99="$b_p99" \
        -v ac="$(cat "$work/plain-$r.cpu")" -v bc="$(cat "$work/tls-$r.cpu")" \
      'BEGIN { printf "| %s | %d | %d | %.2f | %.3f | %.3f | %.3f | %.3f | %.2f | %.2f |\n",
               r, ar, br, br / ar, a50, b50, a99, b99, ac, bc }'
    if [ "$a_err" != "-" ]; then errors+="  - round $r, plain: $a_err (of $a_reqs requests)"$'\n'; fi
    if [ "$b_err" != "-" ]; then errors+="  - round $r, TLS: $b_err (of $b_reqs requests)"$'\n'; fi
  done
  echo
  echo "Notes:"
  echo
  if [ -n "$errors" ]; then
    echo "- wrk reported errors:"
    printf '%s' "$errors"
  else
    echo "- wrk reported no socket errors and no non-2xx responses."
  fi
  echo "- server CPU: the gateway process's, in cores (of $(nproc)), from /proc; wrk, the instance and the"
  echo "  gateway share the same cores, so the gateway's extra CPU for TLS comes out of everyone's budget."
  echo "- The TLS server said: ${tls_line:-(no TLS line in its log)}"
  echo "- Raw wrk output: bench/results/$(basename "$raw")"
} >"$out"

cp "$out" "$report"
cat "$out"
log "report written to $report"
