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
  # mpi-native (JDK 22+ only, see the root pom's profile): its tests run here, on the build just made
  local native_rc=skip native_start
  if [ "$rc" = 0 ] && [ "${MULTIPROC4J_NATIVE_TESTS_JDK:-}" = "$home" ]; then
    native_start=$(date +%s)
    (cd "$work" && export JAVA_HOME="$home" && ./mvnw -B verify -pl mpi-native -am \
      -Dtest='org.multiproc4j.mpi.nativempi.*Test' -Dit.test='org.multiproc4j.mpi.nativempi.*IT' \
      -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false) >>"$log" 2>&1
    native_rc=$?
  fi
  set -e
  rm -rf "$work"
  case "$native_rc" in
    skip) ;;
    0) echo "$(basename "$0"): Java $feature ($home): mpi-native's tests pass ($(( $(date +%s) - native_start )) s)" >&2 ;;
    *) grep -E '^\[ERROR\]|FAIL' "$log" | head -n 40 >&2 || true
       echo "$(basename "$0"): Java $feature ($home): mpi-native's tests FAIL; Maven's output: $log" >&2
       return 1 ;;
  esac
  if [ "$rc" = 0 ]; then
    echo "$(basename "$0"): Java $feature ($home): the build and its Javadoc compile ($(( $(date +%s) - start )) s)" >&2
    rm -f "$log"
    return 0
  fi
  grep -E '^\[ERROR\]|warning:|error:' "$log" | head -n 40 >&2 || true
  echo "$(basename "$0"): Java $feature ($home): the build or its Javadoc FAILS to compile; Maven's output: $log" >&2
  return 1
}

# The project's modules that are published (a module's pom sets multiproc4j.notPublished to true when it is not),
# one per line, the BOM included.
published_modules() {
  local m
  for m in $(sed -n 's|^ *<module>\(.*\)</module> *$|\1|p' pom.xml); do
    grep -q '<multiproc4j.notPublished>true</multiproc4j.notPublished>' "$m/pom.xml" || echo "$m"
  done
}

# The coordinates (group:artifact:type[:classifier]:version, scope dropped) in files written by
# dependency:list, sorted, without our own.
third_party_deps() {
  awk '/^   [^ ]+:[^ ]+/ { n = split($1, p, ":"); out = p[1]; for (i = 2; i < n; i++) out = out ":" p[i]; print out }' "$@" \
    | grep -v '^org\.multiproc4j:' | sort -u
}

# Runs Maven offline (the throwaway repository's tail is ~/.m2, where the main run put everything), and once more
# online if something was missing there (a plugin only the release profile uses, on a fresh machine).
mvn_offline_first() {
  local log=$1
  shift
  if ./mvnw -o "$@" >>"$log" 2>&1; then return 0; fi
  grep -q 'in offline mode' "$log" || return 1
  echo "$(basename "$0"): consumer check: something was missing offline; once more online" >&2
  ./mvnw "$@" >>"$log" 2>&1
}

# The consumer check: installs the published modules with the release profile (sources and Javadoc jars, the
# Central bundle, signed only where a key is configured; tests skipped, the main run ran them) into a throwaway
# local repository that reads ~/.m2 behind it and never writes there, then builds consumer-check/ (a user's
# project: the BOM imported, the published artifacts as dependencies) against them and runs its examples. Fails
# if the release build, the consumer's build or its run fails, if the consumer resolves a third-party version
# other than the build's or one the BOM does not pin, or if the bundle lacks a file Central requires. Prints
# one line saying how it went (and the end of Maven's output if it failed). The homes of other JDKs given as
# arguments also build and run the consumer (the artifacts stay those the default JDK built).
consumer_check() {
  local work repo log start version rc=0 m published=() list=() missing=() coord ga g a home ran=()
  work=$(mktemp -d "${TMPDIR:-/tmp}/multiproc4j-consumer.XXXXXX")
  repo="$work/repository"
  log="$work.log"
  start=$(date +%s)
  version=$(sed -n '0,/<version>/s|^ *<version>\(.*\)</version> *$|\1|p' pom.xml)
  while IFS= read -r m; do published+=("$m"); done < <(published_modules)
  local common=(-B -Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="$HOME/.m2/repository")
  local list_deps
  list_deps="org.apache.maven.plugins:maven-dependency-plugin:$(sed -n 's|^ *<dependency-plugin.version>\(.*\)</dependency-plugin.version> *$|\1|p' pom.xml):list"
  set +e
  (
    set -e
    # plugins named in full, versions too: offline, a new local repository cannot map a prefix ("dependency:")
    # to a plugin, and the BOM, which has no parent, would ask for another version of it
    mvn_offline_first "$log" "${common[@]}" -P release install -DskipTests -pl "$(IFS=,; echo "${published[*]}")" -am \
      "$list_deps" -DincludeScope=runtime \
      -DoutputFile=target/published-runtime-deps.txt
    rm -rf consumer-check/target
    mvn_offline_first "$log" "${common[@]}" -f consumer-check/pom.xml -Dmultiproc4j.version="$version" compile \
      org.codehaus.mojo:exec-maven-plugin:exec "$list_deps" \
      -DincludeScope=runtime -DoutputFile=target/runtime-deps.txt
    cp consumer-check/target/runtime-deps.txt "$work/consumer-runtime-deps.txt"
    for home in "$@"; do
      rm -rf consumer-check/target
      echo "consumer check with $home" >>"$log"
      JAVA_HOME="$home" mvn_offline_first "$log" "${common[@]}" -f consumer-check/pom.xml \
        -Dmultiproc4j.version="$version" compile org.codehaus.mojo:exec-maven-plugin:exec
    done
  )
  rc=$?
  for home in "$@"; do ran+=("Java $(jdk_feature "$home")"); done
  set -e
  if [ "$rc" = 0 ]; then
    for m in "${published[@]}"; do
      [ -f "$m/target/published-runtime-deps.txt" ] && list+=("$m/target/published-runtime-deps.txt")
      # every published module is a dependency of the consumer (the parent and the BOM are not jars)
      case "$m" in bom) ;; *) grep -q "<artifactId>multiproc4j-$m</artifactId>" consumer-check/pom.xml \
        || missing+=("consumer-check/pom.xml does not depend on the published multiproc4j-$m") ;; esac
    done
    if ! diff <(third_party_deps "${list[@]}") <(third_party_deps "$work/consumer-runtime-deps.txt") >>"$log"; then
      missing+=("the consumer resolves other third-party versions than the build (< build, > consumer, above)")
    fi
    while IFS= read -r coord; do
      g=${coord%%:*}; ga=${coord#*:}; a=${ga%%:*}
      grep -q "<groupId>$g</groupId><artifactId>$a</artifactId>" bom/pom.xml \
        || grep -q "<groupId>$g</groupId><artifactId>[^<]*-bom</artifactId>" bom/pom.xml \
        || missing+=("bom/pom.xml does not pin $coord")
    done < <(third_party_deps "$work/consumer-runtime-deps.txt")
    missing+=($(central_bundle_gaps "$version" "${published[@]}"))
  fi
  if [ "$rc" = 0 ] && [ ${#missing[@]} = 0 ]; then
    grep -E 'consumer check: .*examples ran' "$log" | head -n 1 | sed "s|^|$(basename "$0"): |" >&2 || true
    grep -E 'NOT signed' "$log" | head -n 1 | sed "s|^.*\[echo\] |$(basename "$0"): |" >&2 || true
    echo "$(basename "$0"): consumer check: the published artifacts, installed afresh, build and run a user's project$([ ${#ran[@]} = 0 ] || echo " (also with ${ran[*]})") ($(( $(date +%s) - start )) s)" >&2
    rm -rf "$work" "$log"
    return 0
  fi
  grep -E '^\[ERROR\]|^[<>] |consumer check|Exception|Error' "$log" | head -n 40 >&2 || true
  for m in ${missing[@]+"${missing[@]}"}; do echo "$(basename "$0"): consumer check: $m" >&2; done
  echo "$(basename "$0"): consumer check FAILED; Maven's output: $log (the throwaway repository: $repo)" >&2
  return 1
}

# Prints, one per line (no spaces), each file Central requires that target/central-bundle.zip lacks.
central_bundle_gaps() {
  local version=$1 m a base f files
  shift
  [ -f target/central-bundle.zip ] || { echo "no-target/central-bundle.zip"; return; }
  files=$("$JAVA_HOME/bin/jar" tf target/central-bundle.zip)
  for m in parent "$@"; do
    a="multiproc4j-$m"
    base="org/multiproc4j/$a/$version/$a-$version"
    for f in .pom .pom.md5 .pom.sha1; do
      grep -qx "$base$f" <<<"$files" || echo "central-bundle.zip-lacks-$base$f"
    done
    case "$m" in parent|bom) continue ;; esac
    local javadoc="-javadoc.jar -javadoc.jar.sha1"
    if [ -z "$(find "$m/target/classes" -name '*.class' ! -name package-info.class 2>/dev/null | head -n 1)" ]; then
      # a placeholder module: javadoc refuses it, the release build says it is not ready to publish
      echo "$(basename "$0"): consumer check: $a has no class yet, so no Javadoc jar: not ready to publish" >&2
      javadoc=
    fi
    for f in .jar -sources.jar $javadoc .jar.sha1 -sources.jar.sha1; do
      grep -qx "$base$f" <<<"$files" || echo "central-bundle.zip-lacks-$base$f"
    done
  done
}
