# Sourced by the benchmark scripts after bin/find-java.sh, with $here, $jar and $echo_jar set.
# whole_numbers VAR...: checks the scripts' numeric knobs.
# bench_setup NAME: installs wrk if missing, builds the jars if missing, and sets java (the command
# with the JVM options instances and servers are measured with), jar_built and commit (provenance).
# bench_files NAME: the report and raw-output files, a scratch directory cleaned up on exit (with the
# server stopped), and the jars copied into it.
# Also: apt_install and machine_line (a report's machine); await_healthz, stop_server and free_port for
# the server under test; CPU accounting from /proc (proc_ticks, machine_ticks, children_cpu), wait_quiet
# before a measured run, and wrk_parse (with WRK_MS, its awk function for wrk's durations) for wrk's output.

log() { echo "[bench] $*" >&2; }

# whole_numbers VAR...: each knob named holds a whole number, above 0 unless it is named in
# $MAY_BE_ZERO (default QUIET_WAIT); exits 2 saying which one is wrong.
whole_numbers() {
  local v
  for v in "$@"; do
    if ! [[ "${!v}" =~ ^[0-9]+$ ]] || { [[ " ${MAY_BE_ZERO:-QUIET_WAIT} " != *" $v "* ]] && [ "${!v}" -eq 0 ]; }; then
      echo "$v must be a whole number (of seconds, connections, threads or requests) above 0, not '${!v}'" >&2
      exit 2
    fi
  done
}

# apt_install PACKAGE WHY: installs a Debian package (with sudo unless root), updating the lists once if needed.
apt_install() {
  log "$2 is missing: installing $1 with apt-get"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y "$1" >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y "$1" >&2; }
}

# machine_line: the machine a report was measured on: cores, CPU, memory, the JDK, wrk (when present), the time.
machine_line() {
  local cpu mem java_v wrk_v
  cpu="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  mem="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  java_v="$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
  wrk_v="$(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2, $3 }' || true)"
  echo "$(nproc) cores, ${cpu:-unknown CPU}, $mem RAM; $java_v${wrk_v:+; $wrk_v}; $(date -u '+%Y-%m-%d %H:%M UTC')"
}

bench_setup() {
  if ! command -v wrk >/dev/null 2>&1; then
    apt_install wrk "wrk"
  fi
  for tool in curl python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench/$1.sh needs $tool" >&2; exit 1; }
  done

  if [ ! -f "$jar" ] || [ ! -f "$echo_jar" ]; then
    log "flowhost.jar or echo-service.jar is missing: running ./flowhost build"
    ./flowhost build
  fi

  java_opts=(--enable-native-access=ALL-UNNAMED)
  if [ "$(java_major "$JAVA_HOME")" -ge 23 ] 2>/dev/null; then
    java_opts+=(--sun-misc-unsafe-memory-access=allow)
  fi
  # SERVER_JAVA_OPTS: more options for the JVMs the script starts, e.g. a flight recording to profile with:
  #   SERVER_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/server.jfr,settings=profile' bash bench/async.sh
  # shellcheck disable=SC2206 # split on spaces on purpose: several options in one variable
  java_opts+=(${SERVER_JAVA_OPTS:-})
  java=("$JAVA_HOME/bin/java" "${java_opts[@]}")

  # What is measured: the jars as built now, copied (bench_files) so that a rebuild during the run cannot
  # swap them; the commit they were most likely built from is recorded with the results.
  jar_built="$(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC')"
  commit="$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ "$commit" != unknown ] && [ -n "$(git -C "$here" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    commit="$commit (with uncommitted changes)"
  fi
}

# bench_files NAME: sets report and raw (bench/results/NAME-<timestamp>.md and -wrk.txt, the raw one
# emptied), stamp and results_dir; work, a scratch directory removed on exit, where data_dir may go;
# and copies the jars into it (jar and echo_jar then point there). On exit, for any reason: the
# script's own on_exit (if it defines one, to stop its helpers), stop_server, and after a failure the
# end of $data_dir/server.log.
bench_files() {
  stamp="$(date +%Y%m%d-%H%M%S)"
  results_dir="$here/bench/results"
  mkdir -p "$results_dir"
  report="$results_dir/$1-$stamp.md"
  raw="$results_dir/$1-$stamp-wrk.txt"
  : >"$raw"
  work="$(mktemp -d)"
  server_pid=""
  instance_pid=""
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  cp "$jar" "$work/flowhost.jar"
  cp "$echo_jar" "$work/echo-service.jar"
  jar="$work/flowhost.jar"
  echo_jar="$work/echo-service.jar"
}

bench_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if declare -F on_exit >/dev/null; then on_exit || true; fi
  stop_server
  stop_postgres
  if [ "$rc" -ne 0 ] && [ -n "${data_dir:-}" ] && [ -f "$data_dir/server.log" ]; then
    log "server log (last 40 lines):"
    tail -n 40 "$data_dir/server.log" >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}

# --- CPU accounting (needs $work; QUIET_WAIT defaults to 30 s) ----------------------------------
clk_tck="$(getconf CLK_TCK)"
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }         # user + system CPU of a process
# busy and softirq ticks of the whole machine. Loopback TCP is mostly processed in softirq; with
# tick-based accounting a softirq tick is booked both to the softirq column and to the task it
# interrupted, so it is shown for information only and not subtracted again.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $8; exit }' /proc/stat; }

# CPU seconds used so far by this shell's finished children (the load generator), from bash's
# `times`; call it as `children_cpu` (not in a $(...) subshell, whose `times` would not see them): sets cpu_now.
children_cpu() {
  times >"$work/times"
  cpu_now="$(awk 'NR == 2 {
    t = 0
    for (f = 1; f <= 2; f++) { v = $f; m = v; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", v); sub(/s$/, "", v); t += m * 60 + v }
    print t }' "$work/times")"
}

# Waits (up to QUIET_WAIT seconds) until the machine is nearly idle, so that a measured run does not
# start in the middle of someone else's build; the CPU tables still show what happened during the run.
wait_quiet() {
  local waited=0 m0 m1 q busy
  while :; do
    read -r m0 q <<<"$(machine_ticks)"
    sleep 1
    read -r m1 q <<<"$(machine_ticks)"
    busy="$(awk -v d="$((m1 - m0))" -v hz="$clk_tck" 'BEGIN { printf "%.2f", d / hz }')"
    if awk -v b="$busy" 'BEGIN { exit !(b < 0.25) }'; then
      return 0
    fi
    if [ "$waited" -ge "${QUIET_WAIT:-30}" ]; then
      log "the machine is still busy ($busy cores) after ${QUIET_WAIT:-30}s: measuring anyway"
      return 0
    fi
    [ "$waited" -eq 0 ] && log "the machine is busy ($busy cores used): waiting up to ${QUIET_WAIT:-30}s for it to settle"
    waited=$((waited + 1))
  done
}

# WRK_MS: an awk function, ms(v), turning one of wrk's durations (812.00us, 1.20ms, 2.00s) into milliseconds.
WRK_MS='
    function ms(v,   n) {
      n = v; sub(/[a-z]+$/, "", n); n += 0
      if (v ~ /us$/) return n / 1000
      if (v ~ /ms$/) return n
      if (v ~ /m$/)  return n * 60000
      if (v ~ /h$/)  return n * 3600000
      if (v ~ /s$/)  return n * 1000
      return n
    }'

# wrk_parse FILE: "rps p50_ms p99_ms requests errors" from wrk's --latency output; errors is a short
# text, "-" when none; "FAILED" when wrk printed no Requests/sec line.
wrk_parse() {
  awk "$WRK_MS"'
    /^ +50% / { p50 = ms($2) }
    /^ +99% / { p99 = ms($2) }
    /requests in / { reqs = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /Socket errors:/ { sub(/^ +/, ""); err = err (err ? "; " : "") $0 }
    /Non-2xx or 3xx responses:/ { sub(/^ +/, ""); err = err (err ? "; " : "") $0 }
    END {
      if (rps == "") { print "FAILED"; exit }
      printf "%.0f %.3f %.3f %s %s\n", rps, p50, p99, reqs, (err ? err : "-")
    }' "$1"
}

# --- the server under test ----------------------------------------------------------------------
# await_exit PID TENTHS: waits up to TENTHS tenths of a second for PID to exit; fails if it is still running.
await_exit() {
  local _
  for _ in $(seq 1 "$2"); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  ! kill -0 "$1" 2>/dev/null
}

# stop_server: stops $server_pid (TERM, KILL after 15 s) and makes sure $instance_pid, if set, went with it.
stop_server() {
  if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
    log "stopping the server (pid $server_pid)"
    kill "$server_pid" 2>/dev/null || true
    if ! await_exit "$server_pid" 150; then
      log "the server did not stop within 15 s: killing it"
      kill -9 "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  # The server stops its instances when it stops; make sure, by the pid it reported.
  if [ -n "${instance_pid:-}" ] && ! await_exit "$instance_pid" 50; then
    log "the instance (pid $instance_pid) outlived the server: killing it"
    kill -9 "$instance_pid" 2>/dev/null || true
  fi
  server_pid=""
}

# await_healthz URL [CURL_OPTION...]: waits (up to 60 s) for the server $server_pid to answer URL/healthz
# (curl given the options, e.g. --cacert FILE for https); exits if it dies.
await_healthz() {
  local i
  for i in $(seq 1 600); do
    curl -fsS "${@:2}" -o /dev/null "$1/healthz" 2>/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "the server exited before answering /healthz" >&2; exit 1; }
    sleep 0.1
  done
  echo "the server did not answer /healthz within 60 s" >&2
  exit 1
}

# --- PostgreSQL, for the runs with --state postgresql:// --------------------------------------------
# start_postgres: a cluster of the benchmark's own (Debian's binaries, a temp dir, default settings: fsync
# and synchronous_commit on) on a free loopback port, as the postgres user when run as root; sets pg_port,
# pg_dir and pg_version; psql_at DB SQL runs a query; stop_postgres (also on exit) stops it and deletes it.
start_postgres() {
  pg_bin="${FLOWHOST_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "PostgreSQL's binaries are missing: apt-get install postgresql (or set FLOWHOST_PG_BIN)" >&2
    exit 1
  fi
  pg_dir="$(mktemp -d /tmp/flowhost-bench-pg-XXXXXX)"
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$pg_dir"
    as_pg=(runuser -u postgres --)
  fi
  pg_port="$(free_port)"
  log "starting PostgreSQL ($pg_bin) on port $pg_port in $pg_dir"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U flowhost --auth=trust -E UTF8 --locale=C >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
      -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" start >/dev/null
  pg_version="$("${as_pg[@]}" "$pg_bin/postgres" --version)"
}
psql_at() { psql -h 127.0.0.1 -p "$pg_port" -U flowhost -d "$1" -tAc "$2"; }
# new_database NAME: a new, empty database in that cluster; sets state to its URL, as --state takes it.
new_database() {
  psql_at postgres "CREATE DATABASE $1" >/dev/null
  state="postgresql://127.0.0.1:$pg_port/$1?user=flowhost"
}
stop_postgres() {
  [ -n "${pg_dir:-}" ] || return 0
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
  pg_dir=""
}

# launch_server [SERVER_OPTION...]: a server of $jar on a free loopback port, data dir under $work; sets port,
# base, data_dir and server_pid, and waits until it answers /healthz.
launch_server() {
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  data_dir="$work/data"
  mkdir -p "$data_dir"
  "${java[@]}" -jar "$jar" server --port "$port" --data-dir "$data_dir" "$@" >"$data_dir/server.log" 2>&1 &
  server_pid=$!
  await_healthz "$base"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# wrk_run NAME URL SECONDS SERVER_PID: wrk -t$THREADS -c$CONNECTIONS with $lua, its output in $work/NAME.txt and
# the raw log ($raw); the server's CPU (cores, from /proc) during the run in $work/NAME.cpu.
wrk_run() {
  local name="$1" url="$2" secs="$3" pid="$4" s0 s1 t0 t1
  echo "===== $name: wrk -t$THREADS -c$CONNECTIONS -d${secs}s --latency $url" >>"$raw"
  s0="$(proc_ticks "$pid")"; t0="$(date +%s.%N)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency -s "$lua" "$url" >"$work/$name.txt" 2>&1 \
    || log "wrk exited with status $? for $name (see the raw output)"
  s1="$(proc_ticks "$pid")"; t1="$(date +%s.%N)"
  cat "$work/$name.txt" >>"$raw"
  awk -v s="$((s1 - s0))" -v t0="$t0" -v t1="$t1" -v hz="$clk_tck" 'BEGIN { printf "%.2f\n", s / ((t1 - t0) * hz) }' \
    >"$work/$name.cpu"
}
