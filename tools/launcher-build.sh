# Sourced by the launchers ./nabla and ./nabla-spark, after tools/jdk.sh: nabla_build builds one module with Maven
# in the background and shows what it is doing.
#
#   nabla_build NAME MODULE LOG BUILT LINE...
#
# runs `mvn -B -pl MODULE -am -Dmaven.test.skip=true package` from the project root with its output in LOG (relative
# to the root), after printing the LINEs (the first after "NAME: ", the others under it). While Maven runs it shows
# one line, on a terminal redrawn every second, in a pipe or a log the same line every 10 s: the elapsed time,
# Maven's current module and step and the files downloaded so far. At the end it says "NAME: built BUILT in N s", or
# prints Maven's errors and exits the launcher with status 1. Ctrl-C stops Maven too.
nabla_build() {
  local name=$1 module=$2 log="$here/$3" built=$4 pid line step downloads start=$SECONDS next=10 indent
  shift 4
  printf -v indent '%*s' $((${#name} + 2)) ''
  echo "$name: $1" >&2
  shift
  for line in "$@"; do echo "$indent$line" >&2; done
  (cd "$here" && exec mvn -B -pl "$module" -am -Dmaven.test.skip=true package) >"$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null; exit 130' INT TERM
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    step=$(sed -n 's/^\[INFO\] --- [^:]*:[^:]*:\([^ ]*\) .*@ \([^ ]*\) ---$/\2: \1/p' "$log" | tail -n 1)
    downloads=$(grep -c '^\[INFO\] Downloaded from' "$log" || true)
    line="$name: building, $((SECONDS - start)) s, ${step:-starting Maven}"
    if [ "$downloads" -gt 0 ]; then line+=", $downloads files downloaded"; fi
    if [ -t 2 ]; then
      printf '\r\033[K%s' "$line" >&2
    elif [ $((SECONDS - start)) -ge "$next" ]; then
      echo "$line" >&2
      next=$((next + 10))
    fi
  done
  if [ -t 2 ]; then printf '\r\033[K' >&2; fi
  trap - INT TERM
  if ! wait "$pid"; then
    if grep -q '^\[ERROR\]' "$log"; then grep -m 40 '^\[ERROR\]' "$log" >&2; else tail -n 40 "$log" >&2; fi
    echo "$name: the build failed after $((SECONDS - start)) s; the whole log is in ${log#"$here"/}" >&2
    exit 1
  fi
  echo "$name: built $built in $((SECONDS - start)) s" >&2
}
