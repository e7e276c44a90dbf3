#!/usr/bin/env bash
# bin/flowhost of the flowhost tarball (made by bin/make-dist.sh): finds a JDK 21+ and runs lib/flowhost.jar.
# Put this folder on your PATH, or link to this file from a folder on it: it finds its lib/ through links.
set -euo pipefail
self="${BASH_SOURCE[0]}"
while [ -L "$self" ]; do
  link="$(readlink "$self")"
  case "$link" in
    /*) self="$link" ;;
    *) self="$(dirname "$self")/$link" ;;
  esac
done
home="$(cd "$(dirname "$self")/.." && pwd)"
# shellcheck source=bin/find-java.sh
. "$home/bin/find-java.sh"

java_opts=(--enable-native-access=ALL-UNNAMED)
if [ "$(java_major "$JAVA_HOME")" -ge 23 ] 2>/dev/null; then
  java_opts+=(--sun-misc-unsafe-memory-access=allow)
fi
exec "$JAVA_HOME/bin/java" "${java_opts[@]}" -jar "$home/lib/flowhost.jar" "$@"
