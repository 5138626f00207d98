# Sourced by ./nabla and ./run-tests: exports JAVA_HOME for a JDK 25 or newer, or explains how to get one.
# Looks at $JAVA_HOME, then `java` on the PATH, then every JDK under /usr/lib/jvm and /opt.

nabla_java_major() {  # prints the feature version of the JDK at $1 (0 when it is not a JDK)
  local v=""
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || { echo 0; return; }
  # The JDK's release file names its version without starting a JVM; ask the JVM only when it is missing.
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  v="${v%%.*}"
  echo "$v" | grep -E '^[0-9]+$' || echo 0
}

nabla_find_jdk() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c=$(readlink -f "$(command -v java)"); candidates+=("${c%/bin/java}")
  fi
  for c in /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do [ -d "$c" ] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    if [ "$(nabla_java_major "$c")" -ge 25 ]; then echo "$c"; return 0; fi
  done
  return 1
}

if ! NABLA_JDK=$(nabla_find_jdk); then
  echo "nabla: no JDK 25 or newer found (looked at \$JAVA_HOME, java on the PATH, /usr/lib/jvm and /opt)." >&2
  echo "       Install one (e.g. Eclipse Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$NABLA_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's bundled Guava touches sun.misc.Unsafe, which JDK 25 warns about on every run.
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
