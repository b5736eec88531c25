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

# A directory's path with every symbolic link resolved (without readlink -f, which old macOS lacks).
real_dir() {
  (cd "$1" 2>/dev/null && pwd -P) || echo "$1"
}

# The feature version of a JDK home ("17", "25"), from its release file; empty if unknown.
jdk_feature() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$1/release" 2>/dev/null | head -n 1)
  case "$v" in
    1.*) v=${v#1.} ;;
  esac
  echo "${v%%[.+-]*}"
}

# Prints, one per line, the homes of the JDKs 17+ installed besides the one in JAVA_HOME (the system's JVM
# directories, or the list in MULTIPROC4J_OTHER_JDKS; "none" for none), and on stderr one line for each
# directory it skips and why.
other_jdks() {
  local candidates=() seen=() home real feature s skip
  case "${MULTIPROC4J_OTHER_JDKS:-}" in
    none) echo "$(basename "$0"): MULTIPROC4J_OTHER_JDKS=none: compiling with no other JDK" >&2; return 0 ;;
    "") for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
          [ -d "$home" ] && candidates+=("$home")
        done ;;
    *) read -r -a candidates <<<"$MULTIPROC4J_OTHER_JDKS" ;;
  esac
  seen+=("$(real_dir "$JAVA_HOME")")
  for home in ${candidates[@]+"${candidates[@]}"}; do
    real=$(real_dir "$home")
    skip=
    for s in "${seen[@]}"; do
      if [ "$s" = "$real" ]; then
        if [ "$s" = "${seen[0]}" ]; then skip="the default JDK, which ran the tests"; else skip="the same JDK as $s"; fi
      fi
    done
    if [ -z "$skip" ] && [ ! -x "$home/bin/javac" ]; then skip="not a JDK (no bin/javac)"; fi
    if [ -z "$skip" ]; then
      feature=$(jdk_feature "$home")
      case "$feature" in
        "") skip="unknown Java version (no release file)" ;;
        *[!0-9]*) skip="unknown Java version '$feature'" ;;
        *) [ "$feature" -ge 17 ] || skip="Java $feature, older than 17" ;;
      esac
    fi
    if [ -n "$skip" ]; then
      echo "$(basename "$0"): skipped $home: $skip" >&2
    else
      seen+=("$real")
      echo "$home"
    fi
  done
}

# Compiles the whole build (main and test code, packaging) and its Javadoc with the JDK at $1, further
# arguments going to Maven, in a copy of the sources: the build directories of the main run stay as they
# are. Prints one line saying how it went (and the end of Maven's output if it failed).
compile_with_jdk() {
  local home=$1 feature work log start rc
  shift
  feature=$(jdk_feature "$home")
  work=$(mktemp -d "${TMPDIR:-/tmp}/multiproc4j-java$feature.XXXXXX")
  log="$work.log"
  tar -C . --exclude=./.git --exclude=target --exclude=./bench-out -cf - . | tar -C "$work" -xf -
  start=$(date +%s)
  set +e
  # two runs, as a developer types them: javadoc:aggregate in the same run as package sees the modules' jars
  (cd "$work" && export JAVA_HOME="$home" && ./mvnw -B -DskipTests package "$@" && ./mvnw -B javadoc:aggregate "$@") \
    >"$log" 2>&1
  rc=$?
  set -e
  rm -rf "$work"
  if [ "$rc" = 0 ]; then
    echo "$(basename "$0"): Java $feature ($home): the build and its Javadoc compile ($(( $(date +%s) - start )) s)" >&2
    rm -f "$log"
    return 0
  fi
  grep -E '^\[ERROR\]|warning:|error:' "$log" | head -n 40 >&2 || true
  echo "$(basename "$0"): Java $feature ($home): the build or its Javadoc FAILS to compile; Maven's output: $log" >&2
  return 1
}
