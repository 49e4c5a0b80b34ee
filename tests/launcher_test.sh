#!/usr/bin/env bash
# Checks the launcher's contract: help exits 0, unknown commands and missing arguments exit 2.
set -uo pipefail
cd "$(dirname "$0")/.."
failures=0
expect() {
  local want="$1"; shift
  "$@" >/dev/null 2>&1
  local got=$?
  if [[ $got -ne $want ]]; then echo "FAIL: '$*' exited $got, expected $want"; failures=$((failures + 1)); fi
}
expect 0 ./mmstream --help
expect 2 ./mmstream
expect 2 ./mmstream no-such-command
expect 0 ./mmstream broker --help
expect 2 ./mmstream broker --no-such-flag
expect 2 ./mmstream broker --port
expect 0 ./mmstream extract --help
expect 2 ./mmstream extract --out /tmp/never-written
expect 2 ./mmstream extract --manifest /nonexistent/manifest.csv --out /tmp/never-written
passed=$((9 - failures))
echo "launcher: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
