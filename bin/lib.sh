# Shared by bin/tour, bin/test and bin/bench: find a JDK 17+ and make the Maven wrapper use it.
# shellcheck shell=bash

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

find_java() {
  local java=java
  if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; fi
  command -v "$java" >/dev/null 2>&1 || die "no java found: install a JDK 17 or newer, or set JAVA_HOME"
  local v
  v=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  case "$v" in
    1.*|9|10|11|12|13|14|15|16|"") die "Java 17 or newer is needed; '$java' is Java ${v:-unknown}" ;;
  esac
  if ! command -v javac >/dev/null 2>&1 && [ ! -x "${JAVA_HOME:-/nonexistent}/bin/javac" ]; then
    die "a JDK (with javac) is needed, not only a JRE"
  fi
  JAVA="$java"
  # the wrapper and Maven use JAVA_HOME when it is set; derive it from the java we found otherwise
  if [ -z "${JAVA_HOME:-}" ]; then
    JAVA_HOME=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
    export JAVA_HOME
  fi
}

# The flags a JVM that uses sharedmem/ipc (Agrona, Chronicle Queue) needs; children get theirs from multiproc4j.
USER_JVM_FLAGS=(
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang.reflect=ALL-UNNAMED
  -Dchronicle.analytics.disable=true
)
