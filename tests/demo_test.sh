#!/usr/bin/env bash
# The README's first command, headless, as a newcomer runs it: `./mmstream demo --duration 60` must train
# its model the first time (or reuse the cached one), play the demo clips as live streams, print
# predictions for every one of them and exit 0 by itself, leaving no process behind.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
started=$SECONDS
# --dashboard-port 0: any free port, so a busy 8080 on a test machine does not matter.
timeout --kill-after=30 1500 ./mmstream demo --duration 60 --dashboard-port 0 > "$out" 2>&1
status=$?
elapsed=$((SECONDS - started))
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

[[ $status -eq 0 ]] || fail "./mmstream demo --duration 60 exited $status (see its last lines below)"
grep -q "first prediction .* s after the demo started" "$out" || fail "no 'first prediction' line"
counts=$(grep -o "predictions per stream: {.*}" "$out")
[[ -n "$counts" ]] || fail "no 'predictions per stream' summary"
streams=$(grep -o "cam-[0-9]*=[0-9]*" <<< "$counts" | wc -l)
[[ $streams -eq 3 ]] || fail "predictions for $streams of the 3 demo streams: $counts"
if grep -o "cam-[0-9]*=0\b" <<< "$counts" | grep -q .; then fail "a demo stream got no prediction: $counts"; fi
if pgrep -f "dev.mmstream.demo.DemoMain" > /dev/null; then fail "a demo JVM is still running after the demo exited"; fi

grep -E "first prediction|predictions per stream" "$out"
if [[ $failures -gt 0 ]]; then
  echo "--- last lines of the demo's output"
  tail -40 "$out"
fi
echo "demo: exit $status after ${elapsed} s, $failures failed checks"
[[ $failures -eq 0 ]]
