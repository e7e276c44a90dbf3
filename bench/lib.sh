# Sourced by the benchmark scripts after bin/find-java.sh, with $here, $jar and $echo_jar set.
# bench_setup NAME: installs wrk if missing, builds the jars if missing, and sets java (the command
# with the JVM options instances and servers are measured with), jar_built and commit (provenance).

log() { echo "[bench] $*" >&2; }

bench_setup() {
  if ! command -v wrk >/dev/null 2>&1; then
    log "wrk is missing: installing it with apt-get"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get install -y wrk >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y wrk >&2; }
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
  java=("$JAVA_HOME/bin/java" "${java_opts[@]}")

  # What is measured: the jars as built now, copied (below) so that a rebuild during the run cannot
  # swap them; the commit they were most likely built from is recorded with the results.
  jar_built="$(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC')"
  commit="$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ "$commit" != unknown ] && [ -n "$(git -C "$here" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    commit="$commit (with uncommitted changes)"
  fi
}
