# Sourced by ./flowhost test (and so .ci/run): makes sure the tools the tests run for real are here.
# moto: the S3-compatible server the Metaflow S3 tests read from (python3 -m moto.server).
# promtool: checks that /metrics is valid Prometheus text (Debian package prometheus).
# PostgreSQL: the shared state store's tests start a throwaway cluster of their own (Debian package postgresql;
# only its binaries are used, never the system's cluster).
# kubectl: renders deploy/kubernetes (kubectl kustomize) for the manifest tests; no cluster is used.
# Chromium and its driver: the docs page is tried in a real headless browser (Debian packages chromium and
# chromium-driver).

ensure_moto() {
  if python3 -c 'import moto.server' >/dev/null 2>&1; then
    return 0
  fi
  echo "moto (a local S3-compatible server, used by the S3 tests) is missing; installing it ..." >&2
  pip install --quiet 'moto[server]' >&2 2>/dev/null && return 0
  if command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && apt-get install -y -qq python3-moto; } >&2 && return 0
  fi
  echo "cannot install moto: install it (pip install 'moto[server]' or apt-get install python3-moto) and run again" >&2
  exit 1
}

ensure_promtool() {
  if command -v promtool >/dev/null 2>&1; then
    return 0
  fi
  echo "promtool (checks the /metrics output) is missing; installing Debian's prometheus package ..." >&2
  if command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus; } >&2 && return 0
  fi
  echo "cannot install promtool: install the prometheus package (it provides /usr/bin/promtool) and run again" >&2
  exit 1
}

ensure_postgres() {
  if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || [ -n "${FLOWHOST_PG_BIN:-}" ]; then
    return 0
  fi
  echo "PostgreSQL (the shared state store's tests run a throwaway cluster) is missing; installing Debian's package ..." >&2
  if command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2 && return 0
  fi
  echo "cannot install PostgreSQL: install the postgresql package (or set FLOWHOST_PG_BIN to the folder holding" \
    "initdb and pg_ctl) and run again" >&2
  exit 1
}

ensure_kubectl() {
  if command -v kubectl >/dev/null 2>&1; then
    return 0
  fi
  echo "kubectl (renders deploy/kubernetes for the manifest tests) is missing; installing Debian's kubernetes-client ..." >&2
  if command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client; } >&2 && return 0
  fi
  echo "cannot install kubectl: install kubectl (Debian: kubernetes-client) and run again" >&2
  exit 1
}

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    return 0
  fi
  echo "Chromium or chromedriver (the docs page is tried in a headless browser) is missing; installing Debian's" \
    "chromium and chromium-driver ..." >&2
  if command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } >&2 \
      && return 0
  fi
  echo "cannot install Chromium: install chromium and chromium-driver (chromedriver on the PATH) and run again" >&2
  exit 1
}

ensure_moto
ensure_promtool
ensure_chromium
ensure_postgres
ensure_kubectl
