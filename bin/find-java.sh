# Sourced by ./flowhost and .ci/run: sets JAVA_HOME to a JDK 21 or newer, or exits with what to install.
# Order: $JAVA_HOME if it is 21+, then the Temurin 25 these machines carry, then any 21+ JDK under /usr/lib/jvm.

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}

is_jdk21() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v
  v=$(java_major "$1")
  [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null
}

find_java() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -n "$candidate" ] && is_jdk21 "$candidate"; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "flowhost needs a JDK 21 or newer: install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) and set JAVA_HOME to it." >&2
  exit 1
}

find_java
