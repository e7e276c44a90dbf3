#!/usr/bin/env bash
# Gateway overhead benchmark: the echo example called (a) straight at its instance and (b) through
# the flowhost gateway, with wrk at 16 and 64 connections, and for reference (c) through nginx and
# (d) through haproxy (Debian's packages, one worker process / one thread each, keep-alive to the
# same instance's port), and (e) haproxy to the instance's Unix socket, as the gateway reaches it,
# all in the same run. Prints a markdown report and keeps a copy in
# bench/results/gateway-<timestamp>.md (git-ignored; the raw wrk output goes next to it).
#
#   bash bench/gateway.sh                  measured runs of 15 s
#   DURATION=30 bash bench/gateway.sh      measured runs of 30 s
#
# Other knobs: WARMUP (seconds, default 5), CONNECTIONS (default "16 64"), THREADS (wrk -t, default 2),
# STATE (sqlite, the default, or postgresql: the server keeps its state in a PostgreSQL cluster of the
# script's own, to show that state is off the hot path),
# QUIET_WAIT (seconds to wait, before each measured run, for other processes to stop using the CPU; default 30),
# SERVER_OPTS (more options for the flowhost server, e.g. "--io-threads=1"),
# PEERS (the reference proxies to measure, default "nginx haproxy haproxy-unix"; also nginx-unix; "" for none;
# a -unix peer proxies to the instance's Unix socket, and is left out when the instance has none).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=../bin/find-java.sh
. "$here/bin/find-java.sh"

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
CONNECTIONS="${CONNECTIONS:-16 64}"
STATE="${STATE:-sqlite}"
case "$STATE" in sqlite | postgresql) ;; *) echo "STATE must be sqlite or postgresql, not '$STATE'" >&2; exit 2 ;; esac
THREADS="${THREADS:-2}"
QUIET_WAIT="${QUIET_WAIT:-30}"
PEERS="${PEERS-nginx haproxy haproxy-unix}"
jar="$here/flowhost-cli/target/flowhost.jar"
echo_jar="$here/examples/echo/target/echo-service.jar"
lua="$here/bench/echo-post.lua"
body='{"hello":"world","n":42}'


# --- tools, jars, JVM options, provenance (bench/lib.sh) --------------------------------------
# shellcheck source=lib.sh
. "$here/bench/lib.sh"
whole_numbers DURATION WARMUP THREADS QUIET_WAIT
bench_setup gateway
for peer in $PEERS; do
  case "$peer" in
    nginx | nginx-unix) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || apt_install nginx-light nginx ;;
    haproxy | haproxy-unix)
      command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || apt_install haproxy haproxy ;;
    *) echo "PEERS: '$peer' is not nginx, haproxy, nginx-unix or haproxy-unix" >&2; exit 2 ;;
  esac
done
export PATH="$PATH:/usr/sbin"

# --- server lifecycle --------------------------------------------------------------------------
bench_files gateway
data_dir="$work/data"
mkdir -p "$data_dir"

port="$(free_port)"
gateway="http://127.0.0.1:$port"

log "starting the server on port $port (data dir $data_dir)"
state_args=()
if [ "$STATE" = postgresql ]; then
  start_postgres
  new_database bench
  state_args=(--state "$state")
fi
"${java[@]}" -jar "$jar" server --port "$port" --data-dir "$data_dir" "${state_args[@]}" ${SERVER_OPTS:-} \
    >"$data_dir/server.log" 2>&1 &
server_pid=$!

await_healthz "$gateway"

log "deploying examples/echo/target/echo-service.jar"
# One instance for both paths, never more (the autoscaler would add instances under this load, and
# the direct path has one), taking every connection's call at once as it does when called directly.
max_conns=0
for c in $CONNECTIONS; do [ "$c" -gt "$max_conns" ] && max_conns=$c; done
"${java[@]}" -jar "$jar" deploy "$echo_jar" --server "$gateway" --min-instances 1 --max-instances 1 \
  --max-concurrency "$((max_conns * 2))" --target-in-flight "$((max_conns * 2))" >&2

info="$(curl -fsS "$gateway/v1/deployments" | python3 -c '
import json, sys
i = json.load(sys.stdin)["deployments"][0]["instances"][0]
print(i["address"], i["pid"], i["id"])')"
read -r instance_addr instance_pid instance_id <<<"$info"
direct="http://$instance_addr"
# The Unix socket the gateway reaches the instance on (the process driver's, in the instance's folder), if any.
instance_socket="$data_dir/instances/$instance_id/socket"
log "instance at $instance_addr (pid $instance_pid), server pid $server_pid"
if [ -S "$instance_socket" ]; then
  log "the instance takes calls on $instance_socket too"
else
  log "the instance has no Unix socket: the gateway reaches it over TCP, and no -unix peer is measured"
  kept=""
  for peer in $PEERS; do case "$peer" in *-unix) ;; *) kept+=" $peer" ;; esac; done
  PEERS="${kept# }"
fi

# --- reference proxies: one worker each, keep-alive to the same instance --------------------------
peer_pids=()
on_exit() { for p in "${peer_pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
declare -A peer_url peer_pid
start_nginx() { # $1: the peer's name, $2: its upstream server (nginx's syntax)
  local name="${1:-nginx}" upstream="${2:-$instance_addr}" p d; p="$(free_port)"; d="$work/$name"
  mkdir -p "$d"
  cat >"$d/nginx.conf" <<CONF
worker_processes 1;
daemon off;
user root;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $d/body;
  proxy_temp_path $d/proxy;
  fastcgi_temp_path $d/fastcgi;
  uwsgi_temp_path $d/uwsgi;
  scgi_temp_path $d/scgi;
  upstream echo { server $upstream; keepalive 256; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$p;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://echo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
CONF
  nginx -c "$d/nginx.conf" >"$d/out.log" 2>&1 &
  peer_pids+=($!)
  await_answer "http://127.0.0.1:$p"
  peer_url[$name]="http://127.0.0.1:$p"
  # the worker does the proxying (the master only waits)
  peer_pid[$name]="$(pgrep -P "${peer_pids[-1]}" | head -n 1)"
}
start_nginx-unix() { start_nginx nginx-unix "unix:$instance_socket"; }
start_haproxy() { # $1: the peer's name, $2: its server's address (haproxy's syntax)
  local name="${1:-haproxy}" server="${2:-$instance_addr}" p; p="$(free_port)"
  cat >"$work/$name.cfg" <<CONF
global
  nbthread 1
  maxconn 8192
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend bench
  bind 127.0.0.1:$p
  default_backend echo
backend echo
  server instance $server
CONF
  haproxy -db -f "$work/$name.cfg" >"$work/$name.log" 2>&1 &
  peer_pids+=($!)
  await_answer "http://127.0.0.1:$p"
  peer_url[$name]="http://127.0.0.1:$p"
  peer_pid[$name]="${peer_pids[-1]}"
}
start_haproxy-unix() { start_haproxy haproxy-unix "unix@$instance_socket"; }
await_answer() { # the echo endpoint answers through this proxy, within 10 s
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' --data "$body" \
        "$1/v1/services/echo/echo" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "no answer through $1 within 10 s" >&2; exit 1
}
for peer in $PEERS; do
  log "starting $peer in front of the instance"
  "start_$peer"
done

rss_mib() { # resident set size of a pid, in MiB with one decimal
  local kib
  kib="$(ps -o rss= -p "$1" | tr -d ' ')"
  awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }'
}
idle_server_rss="$(rss_mib "$server_pid")"
idle_instance_rss="$(rss_mib "$instance_pid")"

# One call each way before any load: both must echo the body with a 200.
for base in "$direct" "$gateway"; do
  answer="$(curl -sS -o "$work/answer" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      --data "$body" "$base/v1/services/echo/echo")"
  if [ "$answer" != "200" ]; then
    echo "POST $base/v1/services/echo/echo answered $answer: $(cat "$work/answer")" >&2
    exit 1
  fi
done

# --- load --------------------------------------------------------------------------------------
# proc_ticks, machine_ticks, children_cpu and wait_quiet come from bench/lib.sh.
# wrk_run NAME URL CONNECTIONS SECONDS: runs wrk, keeps its output in $work/NAME.txt and in the raw log.
wrk_run() {
  local name="$1" url="$2" conns="$3" secs="$4"
  {
    echo "===== $name: wrk -t$THREADS -c$conns -d${secs}s --latency $url"
  } >>"$raw"
  wrk -t"$THREADS" -c"$conns" -d"${secs}s" --latency -s "$lua" "$url" >"$work/$name.txt" 2>&1 \
    || log "wrk exited with status $? for $name (see the raw output)"
  cat "$work/$name.txt" >>"$raw"
}

# measure NAME URL CONNECTIONS [PROXY_PID]: a measured run, with the CPU (in cores) that the server (or the
# reference proxy given), the
# instance, wrk, the whole machine, other processes, and softirq used meanwhile written to $work/NAME.cpu.
measure() {
  local name="$1" url="$2" conns="$3" proxy="${4:-$server_pid}" s0 i0 m0 q0 w0 t0 s1 i1 m1 q1 w1 t1
  wait_quiet
  s0="$(proc_ticks "$proxy")"; i0="$(proc_ticks "$instance_pid")"; read -r m0 q0 <<<"$(machine_ticks)"
  children_cpu; w0="$cpu_now"; t0="$(date +%s.%N)"
  wrk_run "$name" "$url" "$conns" "$DURATION"
  s1="$(proc_ticks "$proxy")"; i1="$(proc_ticks "$instance_pid")"; read -r m1 q1 <<<"$(machine_ticks)"
  children_cpu; w1="$cpu_now"; t1="$(date +%s.%N)"
  awk -v s="$((s1 - s0))" -v i="$((i1 - i0))" -v m="$((m1 - m0))" -v q="$((q1 - q0))" -v w0="$w0" -v w1="$w1" \
      -v t0="$t0" -v t1="$t1" -v hz="$clk_tck" \
    'BEGIN { secs = t1 - t0; w = secs * hz; wrk = (w1 - w0) / secs
             printf "%.2f %.2f %.2f %.2f %.2f %.2f\n", s / w, i / w, wrk, m / w, m / w - s / w - i / w - wrk,
                    q / w }' \
    >"$work/$name.cpu"
}

parse() { wrk_parse "$work/$1.txt"; }

for c in $CONNECTIONS; do
  log "$c connections: warm-up ${WARMUP}s each way"
  wrk_run "warm-direct-$c" "$direct/v1/services/echo/echo" "$c" "$WARMUP"
  wrk_run "warm-gateway-$c" "$gateway/v1/services/echo/echo" "$c" "$WARMUP"
  log "$c connections: measuring (a) direct, ${DURATION}s"
  measure "direct-$c" "$direct/v1/services/echo/echo" "$c"
  log "$c connections: measuring (b) gateway, ${DURATION}s"
  measure "gateway-$c" "$gateway/v1/services/echo/echo" "$c"
  for peer in $PEERS; do
    wrk_run "warm-$peer-$c" "${peer_url[$peer]}/v1/services/echo/echo" "$c" "$WARMUP"
    log "$c connections: measuring $peer, ${DURATION}s"
    measure "$peer-$c" "${peer_url[$peer]}/v1/services/echo/echo" "$c" "${peer_pid[$peer]}"
  done
done

loaded_server_rss="$(rss_mib "$server_pid")"
loaded_instance_rss="$(rss_mib "$instance_pid")"

# --- report ------------------------------------------------------------------------------------
machine="$(machine_line)"

out="$work/report.md"
{
  echo "## Gateway overhead: echo service, direct (a) vs through the gateway (b)"
  echo
  echo "Machine: $machine"
  echo
  echo "Measured: flowhost.jar built $jar_built, checkout at $commit; state in $STATE${pg_version:+ ($pg_version)}."
  echo
  echo "wrk -t$THREADS, ${WARMUP} s warm-up per case (discarded), ${DURATION} s measured, --latency;"
  echo "POST $body (Content-Type: application/json) to /v1/services/echo/echo."
  echo
  echo "| Conns | a req/s | b req/s | b/a | a p50 ms | b p50 ms | b−a p50 ms | a p99 ms | b p99 ms |"
  echo "|------:|--------:|--------:|----:|---------:|---------:|-----------:|---------:|---------:|"
  errors=""
  for c in $CONNECTIONS; do
    read -r a_rps a_p50 a_p99 a_reqs a_err <<<"$(parse "direct-$c")"
    read -r b_rps b_p50 b_p99 b_reqs b_err <<<"$(parse "gateway-$c")"
    if [ "$a_rps" = "FAILED" ] || [ "$b_rps" = "FAILED" ]; then
      echo "| $c | wrk failed: see $raw | | | | | | | |"
      errors+="  - $c connections: wrk produced no Requests/sec line (see the raw output)."$'\n'
      continue
    fi
    awk -v c="$c" -v ar="$a_rps" -v br="$b_rps" -v a50="$a_p50" -v b50="$b_p50" -v a99="$a_p99" -v b99="$b_p99" \
      'BEGIN { printf "| %s | %d | %d | %.2f | %.3f | %.3f | %+.3f | %.3f | %.3f |\n",
               c, ar, br, br / ar, a50, b50, b50 - a50, a99, b99 }'
    if [ "$a_err" != "-" ]; then errors+="  - $c connections, direct: $a_err (of $a_reqs requests)"$'\n'; fi
    if [ "$b_err" != "-" ]; then errors+="  - $c connections, gateway: $b_err (of $b_reqs requests)"$'\n'; fi
  done
  if [ -n "$PEERS" ]; then
    echo
    echo "Reference proxies in the same run, each a hop to the same instance (one worker or thread, keep-alive),"
    echo "to its port, or to its Unix socket for a -unix one, as the gateway reaches it: the gateway's ratio to"
    echo "direct against theirs."
    echo
    echo "| Conns | proxy | req/s | ÷ direct | p50 ms | p99 ms | gateway's ÷ direct over the proxy's |"
    echo "|------:|-------|------:|---------:|-------:|-------:|------------------------------------:|"
    for c in $CONNECTIONS; do
      read -r a_rps _ <<<"$(parse "direct-$c")"
      read -r b_rps b_p50 b_p99 _ <<<"$(parse "gateway-$c")"
      for peer in $PEERS; do
        read -r r_rps r_p50 r_p99 r_reqs r_err <<<"$(parse "$peer-$c")"
        if [ "$r_rps" = "FAILED" ] || [ "$a_rps" = "FAILED" ] || [ "$b_rps" = "FAILED" ]; then
          echo "| $c | $peer | wrk failed: see $raw | | | | |"
          continue
        fi
        awk -v c="$c" -v n="$peer" -v ar="$a_rps" -v br="$b_rps" -v rr="$r_rps" -v r50="$r_p50" -v r99="$r_p99" \
          'BEGIN { printf "| %s | %s | %d | %.2f | %.3f | %.3f | %.2f |\n", c, n, rr, rr / ar, r50, r99, (br / ar) / (rr / ar) }'
        if [ "$r_err" != "-" ]; then errors+="  - $c connections, $peer: $r_err (of $r_reqs requests)"$'\n'; fi
      done
    done
  fi
  echo
  echo "CPU used during the measured runs, in cores (of $(nproc)):"
  echo
  echo "| Conns | Path | server (or proxy) | instance | wrk | whole machine | other processes | softirq (in the above) |"
  echo "|------:|------|------------------:|---------:|----:|--------------:|----------------:|-----------------------:|"
  busy_others=""
  for c in $CONNECTIONS; do
    for p in direct gateway $PEERS; do
      [ -f "$work/$p-$c.cpu" ] || continue
      read -r cs ci cw cm co cq <"$work/$p-$c.cpu"
      echo "| $c | $p | $cs | $ci | $cw | $cm | $co | $cq |"
      if awk -v o="$co" 'BEGIN { exit !(o > 0.2) }'; then busy_others+=" $p/$c ($co cores)"; fi
    done
  done
  echo
  echo "Resident memory (ps rss), MiB:"
  echo
  echo "| Process | idle, right after deploy | after the load |"
  echo "|---------|-------------------------:|---------------:|"
  echo "| server (gateway + management) | $idle_server_rss | $loaded_server_rss |"
  echo "| echo instance | $idle_instance_rss | $loaded_instance_rss |"
  echo
  echo "Notes:"
  echo
  if [ -n "$errors" ]; then
    echo "- wrk reported errors:"
    printf '%s' "$errors"
  else
    echo "- wrk reported no socket errors and no non-2xx responses."
  fi
  echo "- CPU table: server, instance and wrk from /proc (wrk via bash's \`times\`), whole machine from"
  echo "  /proc/stat, other processes = whole machine minus the three (tick-based: about ±0.1 cores; above"
  echo "  0.2 someone else was using the CPU). softirq is the kernel's loopback TCP work, mostly already"
  echo "  booked to the process it interrupted."
  if [ -n "$busy_others" ]; then
    echo "- Other processes on the machine used CPU during:$busy_others; those figures are disturbed."
  fi
  echo "- Debian's wrk corrects latency percentiles for coordinated omission without saying so: one stall"
  echo "  (a GC pause, a scheduler hiccup) inflates p99, so read p99 as indicative only; p50 is robust."
  echo "- Everything (wrk, server, instance) shares the same $(nproc) cores, so (b) also pays for the gateway's"
  echo "  CPU out of the budget wrk and the instance would otherwise use."
  echo "- Raw wrk output: bench/results/$(basename "$raw")"
} >"$out"

cp "$out" "$report"
cat "$out"
log "report written to $report"
