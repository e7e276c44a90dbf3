#!/usr/bin/env bash
# Makes docs/ui-*.png, the README's pictures of the dashboard: a server with iris and echo, a few minutes of traffic
# that rises and falls (so echo scales up and down and iris goes to zero and wakes), some async calls and some
# mistaken ones, alert rules that fire, stay pending and resolve; then each page in headless Chromium.
#
#   bash bin/dashboard-screenshots.sh          (about four minutes; OUT=dir to write elsewhere than docs/)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# shellcheck source=find-java.sh
. "$here/bin/find-java.sh"
OUT="${OUT:-$here/docs}"
jar="$here/flowhost-cli/target/flowhost.jar"
[ -f "$jar" ] || ./flowhost build
for tool in chromium wrk; do
  command -v "$tool" >/dev/null 2>&1 || bash "$here/bin/ensure-test-tools.sh"
done
command -v wrk >/dev/null 2>&1 || apt-get install -y wrk >&2

work="$(mktemp -d)"
server_pid=""
cleanup() {
  local rc=$? # the script's, not the stopped server's
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
say() { echo "[screenshots] $*" >&2; }
fh() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" "$@"; }

cat >"$work/rules.json" <<'JSON'
{"evaluation-interval": "1s", "resolved-retention": "1h",
 "rules": [{"name": "InstanceStarted", "kind": "cold-starts", "threshold": 0, "window": "1h", "severity": "info"},
           {"name": "IrisP99Over2ms", "kind": "p99-latency", "service": "iris", "threshold": "2ms", "window": "5m",
            "for": "1h", "severity": "warning"},
           {"name": "EchoMistakes", "kind": "error-ratio", "service": "echo", "threshold": 0.0, "window": "10s",
            "for": "0s", "severity": "warning"}]}
JSON
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
url="http://127.0.0.1:$port"
say "starting a server on $url"
fh server --port "$port" --data-dir "$work/data" --history-every 2s --alerts "$work/rules.json" \
  --metaflow-root "$here/examples/iris/metaflow" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do curl -fs "$url/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

fh deploy examples/iris/target/iris-service.jar -s "$url" --min-instances 0 --idle-timeout 40s >&2
fh deploy examples/echo/target/echo-service.jar -s "$url" --max-instances 3 --target-in-flight 2 \
  --scale-down-delay 20s >&2

cat >"$work/iris.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}'
wrk.headers["Content-Type"] = "application/json"
LUA
load() { # SECONDS CONNECTIONS PATH SCRIPT
  wrk -t1 -c"$2" -d"$1s" -s "$4" "$url$3" >/dev/null 2>&1 || true
}
say "traffic: rising, falling, async, mistakes (about three minutes)"
load 20 1 /v1/services/echo/echo bench/echo-post.lua
load 15 2 /v1/services/iris/predict "$work/iris.lua" &
iris_load=$!
load 30 8 /v1/services/echo/echo bench/echo-post.lua
wait "$iris_load" # not a bare wait: the server is a child too
for _ in $(seq 1 20); do
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data '{not json' "$url/v1/services/echo/echo"
done
load 3 4 /v1/services/echo/echo bench/async-post.lua
load 40 2 /v1/services/echo/echo bench/echo-post.lua
sleep 45 # iris goes to zero; echo scales back down
load 20 1 /v1/services/iris/predict "$work/iris.lua"
load 20 3 /v1/services/echo/echo bench/echo-post.lua
request="$(curl -fsS -X POST -H 'Content-Type: application/json' -H 'Prefer: respond-async' \
  --data '{"hello": "later"}' "$url/v1/services/echo/echo" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
sleep 3

mkdir -p "$OUT"
shoot() { # NAME PATH HEIGHT
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size="1280,$3" \
    --virtual-time-budget=6000 --screenshot="$OUT/$1.png" "$url$2" >/dev/null 2>&1
  say "wrote $OUT/$1.png"
}
shoot ui-deployments /ui 520
shoot ui-deployment /ui/deployments/echo-v1 1500
shoot ui-queue "/ui/queue#$request" 900
shoot ui-alerts /ui/alerts 620
shoot ui-log "/ui/log" 900
