# Sourced by the tests that run the project's programs as processes (pipeline, security, broker gone): a scratch
# folder "$dir"; the processes added to "pids" are stopped and the folder removed when the test exits; fail counts
# failed checks; wait_for FILE PATTERN SECONDS polls a log until a line matches, or returns 1.
dir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
wait_for() {
  for _ in $(seq 1 $(($3 * 2))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}
