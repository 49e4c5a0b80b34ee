#!/usr/bin/env bash
# The README's first command, headless, as a newcomer runs it: `./mmstream demo --duration 60` must serve
# the shipped model (models/pretrained), play the demo clips as live streams, print
# predictions for every one of them and exit 0 by itself, leaving no process behind.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
yours=$(mktemp -d)
trap 'rm -rf "$out" "$yours"' EXIT
# The user's own media as a 4th stream (README: --source): 8 s of test pattern and a tone, no captions.
ffmpeg -nostdin -v error -f lavfi -i testsrc=duration=8:size=320x240:rate=15 -f lavfi -i sine=frequency=220:duration=8 \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac "$yours/mine.mp4"
started=$SECONDS
# --dashboard-port 0: any free port, so a busy 8080 on a test machine does not matter.
timeout --kill-after=30 1500 ./mmstream demo --duration 60 --dashboard-port 0 --source "$yours/mine.mp4" > "$out" 2>&1
status=$?
elapsed=$((SECONDS - started))
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

[[ $status -eq 0 ]] || fail "./mmstream demo --duration 60 exited $status (see its last lines below)"
grep -q "first prediction .* s after the demo started" "$out" || fail "no 'first prediction' line"
counts=$(grep -o "predictions per stream: {.*}" "$out")
[[ -n "$counts" ]] || fail "no 'predictions per stream' summary"
streams=$(grep -oE "(cam|yours)-[0-9]+=[0-9]+" <<< "$counts" | wc -l)
[[ $streams -eq 4 ]] || fail "predictions for $streams of the 4 streams (3 demo clips and --source): $counts"
if grep -oE "(cam|yours)-[0-9]+=0\b" <<< "$counts" | grep -q .; then fail "a stream got no prediction: $counts"; fi
if pgrep -f "dev.mmstream.demo.DemoMain" > /dev/null; then fail "a demo JVM is still running after the demo exited"; fi

grep -E "first prediction|predictions per stream" "$out"
if [[ $failures -gt 0 ]]; then
  echo "--- last lines of the demo's output"
  tail -40 "$out"
fi
echo "demo: exit $status after ${elapsed} s, $failures failed checks"
[[ $failures -eq 0 ]]
