#!/usr/bin/env bash
# Makes flowhost-VERSION.tar.gz from what the build left (./flowhost dist builds first, then runs this):
#
#   bin/flowhost            the launcher (finds a JDK 21+), bin/find-java.sh what it uses
#   lib/flowhost.jar        the command, the server and everything they need, in one jar
#   examples/               the echo and iris examples: sources, built jars, and iris's Metaflow datastore
#   maven-repository/       the SDK in Maven's layout, for a team to host (file: or over HTTP)
#   licenses/               what lib/flowhost.jar bundles, with its licenses (THIRD-PARTY.txt) and notices
#
#   bin/make-dist.sh [OUT_DIR]      (default: target/ at the root of the checkout)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/target}"
# shellcheck source=bin/find-java.sh
. "$root/bin/find-java.sh"

jar="$root/flowhost-cli/target/flowhost.jar"
examples=(echo iris)
if [ ! -f "$jar" ]; then
  echo "make-dist: $jar is missing: build first (./flowhost build), or use ./flowhost dist" >&2
  exit 1
fi
for example in "${examples[@]}"; do
  if [ ! -f "$root/examples/$example/target/$example-service.jar" ]; then
    echo "make-dist: examples/$example/target/$example-service.jar is missing: build first (./flowhost build)" >&2
    exit 1
  fi
done

version="$(unzip -p "$jar" io/flowhost/cli/build.properties | sed -n 's/^version=//p' | tr -d '\r')"
name="flowhost-$version"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
dist="$stage/$name"
mkdir -p "$dist/bin" "$dist/lib" "$dist/examples" "$dist/licenses"

echo "make-dist: $name from $jar" >&2
cp "$root/bin/dist-launcher.sh" "$dist/bin/flowhost"
cp "$root/bin/find-java.sh" "$dist/bin/find-java.sh"
chmod +x "$dist/bin/flowhost"
cp "$jar" "$dist/lib/flowhost.jar"
cp "$root/README.md" "$dist/README.md"

for example in "${examples[@]}"; do
  mkdir -p "$dist/examples/$example/target"
  cp -R "$root/examples/$example/src" "$root/examples/$example/pom.xml" "$dist/examples/$example/"
  cp "$root/examples/$example/target/$example-service.jar" "$dist/examples/$example/target/"
done
cp -R "$root/examples/iris/metaflow" "$dist/examples/iris/metaflow"
cat > "$dist/examples/README.md" <<'README'
# Examples

Built, to serve as they are (from the folder above this one):

    bin/flowhost serve examples/echo/target/echo-service.jar
    bin/flowhost serve examples/iris/target/iris-service.jar --metaflow-root examples/iris/metaflow

`iris/metaflow` is a Metaflow datastore with three IrisFlow runs, copied from real Metaflow:
`bin/flowhost metaflow runs IrisFlow --root examples/iris/metaflow` lists them, and
`bin/flowhost new iris-model --flow IrisFlow --root examples/iris/metaflow` starts a service from the latest
successful one.

The sources are here to read; their poms build inside a flowhost checkout (they name its parent pom). To start a
project of your own, use `flowhost new NAME`: it makes one that builds anywhere.
README

"$JAVA_HOME/bin/java" -jar "$dist/lib/flowhost.jar" sdk-repository "$dist/maven-repository" >/dev/null

# The licenses of what the jar bundles: from each bundled pom (or its parents in the local Maven repository).
m2="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
"$JAVA_HOME/bin/java" "$root/bin/third-party.java" "$dist/lib/flowhost.jar" "$root/flowhost-cli/target/dependencies.txt" \
  "$m2" "$dist/licenses"

mkdir -p "$out"
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
