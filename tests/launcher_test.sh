#!/usr/bin/env bash
# Checks the launcher's contract: help exits 0, unknown commands and missing arguments exit 2.
set -uo pipefail
cd "$(dirname "$0")/.."
failures=0
expect() {
  local want="$1"; shift
  # A command that should have stopped at its arguments but runs on (serve looking for a broker) must fail
  # here, not hang the suite.
  timeout -k 5 120 "$@" >/dev/null 2>&1
  local got=$?
  if [[ $got -eq 124 ]]; then echo "FAIL: '$*' was still running after 120 s, expected exit $want"; failures=$((failures + 1)); return; fi
  if [[ $got -ne $want ]]; then echo "FAIL: '$*' exited $got, expected $want"; failures=$((failures + 1)); fi
}
expect 0 ./mmstream --help
expect 2 ./mmstream
expect 2 ./mmstream no-such-command
expect 0 ./mmstream test --help
expect 2 ./mmstream test --no-such-flag
expect 0 ./mmstream setup --help
expect 0 ./mmstream broker --help
expect 2 ./mmstream broker --no-such-flag
expect 2 ./mmstream broker --port
expect 0 ./mmstream extract --help
expect 2 ./mmstream extract --out /tmp/never-written
expect 2 ./mmstream extract --manifest /nonexistent/manifest.csv --out /tmp/never-written
expect 0 ./mmstream serve --help
expect 2 ./mmstream serve --max-batch
expect 2 ./mmstream serve --no-such-flag
expect 0 ./mmstream watch --help
expect 0 ./mmstream topics --help
expect 2 ./mmstream topics
expect 0 ./mmstream deadletters --help
expect 2 ./mmstream deadletters no-such-action
expect 0 ./mmstream ingest --help
expect 2 ./mmstream ingest --source x.mp4
expect 0 ./mmstream reproduce --help
expect 2 ./mmstream reproduce no-such-dataset --data .
expect 1 ./mmstream reproduce mosei --data /nonexistent
checks=25

# A broker that is not there is one line naming it and what to do, not warnings forever.
checks=$((checks + 1))
watch_out=$(timeout 120 ./mmstream watch --bootstrap 127.0.0.1:1 --timeout-s 5 2>&1); watch_rc=$?
if [[ $watch_rc -ne 1 ]] || ! grep -q "^mmstream watch: cannot reach Kafka at 127.0.0.1:1 within 10 s: start one with ./mmstream broker" <<< "$watch_out"; then
  echo "FAIL: watch with no broker exited $watch_rc: $(tail -2 <<< "$watch_out")"; failures=$((failures + 1))
fi

# A models folder with no model: one line, exit 1, no stack trace.
checks=$((checks + 1))
empty=$(mktemp -d)
serve_out=$(timeout 120 ./mmstream serve --models "$empty" --bootstrap 127.0.0.1:1 2>&1); serve_rc=$?
rmdir "$empty"
if [[ $serve_rc -ne 1 ]] || ! grep -q "^mmstream serve: models directory .* holds no \*.onnx file" <<< "$serve_out" \
    || grep -q "^\s*at " <<< "$serve_out"; then
  echo "FAIL: serve with an empty models folder exited $serve_rc: $(tail -3 <<< "$serve_out")"; failures=$((failures + 1))
fi

# A wrong or missing option: one line saying what and where help is, not the whole help; usage names the
# command as typed; -V prints the version.
checks=$((checks + 3))
bad_out=$(timeout 120 ./mmstream serve --max-batch 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -v '^\[mmstream\]')
if [[ $(wc -l <<< "$bad_out") -gt 2 ]] || ! grep -q "^mmstream serve: Missing required parameter for option '--max-batch'" <<< "$bad_out" \
    || ! grep -q "./mmstream serve --help lists the options" <<< "$bad_out"; then
  echo "FAIL: serve --max-batch without a value printed: $(head -5 <<< "$bad_out")"; failures=$((failures + 1))
fi
./mmstream ingest --help 2>/dev/null | head -1 | grep -q "^Usage: ./mmstream ingest " \
  || { echo "FAIL: ingest --help does not start with 'Usage: ./mmstream ingest'"; failures=$((failures + 1)); }
./mmstream broker -V 2>/dev/null | grep -q "^mmstream [0-9]" \
  || { echo "FAIL: broker -V printed no version"; failures=$((failures + 1)); }

# Every MMSTREAM_* variable docker-compose.yml gives the app containers is an option of the commands they run
# (MMSTREAM_TOPIC_PREFIX is --topic-prefix), so a deployment's settings reach the code.
for cmd in ingest serve topics; do
  help=$(./mmstream "$cmd" --help 2>/dev/null)
  for var in $(grep -o '^ *MMSTREAM_[A-Z_]*:' docker-compose.yml | tr -d ' :' | sort -u); do
    checks=$((checks + 1))
    option="--$(tr 'A-Z_' 'a-z-' <<< "${var#MMSTREAM_}")"
    grep -q -- "$option=" <<< "$help" \
      || { echo "FAIL: docker-compose.yml sets $var but ./mmstream $cmd has no $option"; failures=$((failures + 1)); }
  done
done

# The Kubernetes manifests validate against the API's schemas, and the settings they give the streams app are
# options of serve.
checks=$((checks + 1))
node tests/kubernetes/validate.js > /dev/null || { echo "FAIL: deploy/kubernetes does not validate"; failures=$((failures + 1)); }
serve_help=$(./mmstream serve --help 2>/dev/null)
for var in $(grep -o '^ *MMSTREAM_[A-Z_]*:' deploy/kubernetes/mmstream.yaml | tr -d ' :' | sort -u); do
  checks=$((checks + 1))
  option="--$(tr 'A-Z_' 'a-z-' <<< "${var#MMSTREAM_}")"
  grep -q -- "$option=" <<< "$serve_help" \
    || { echo "FAIL: deploy/kubernetes sets $var but ./mmstream serve has no $option"; failures=$((failures + 1)); }
done

# The README's broker check: ./mmstream broker gets ready and kcat lists the project's topics. The wait
# is generous because test machines are busy; the start time itself is measured (README, Performance).
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
./mmstream broker --port "$port" --controller-port $((port + 1)) --data-dir "$data" > "$data/out.log" 2>&1 &
broker=$!
ready=0
for _ in $(seq 1 120); do
  if grep -q "ready on" "$data/out.log"; then ready=1; break; fi
  sleep 0.5
done
checks=$((checks + 2))
if [[ $ready -eq 1 ]]; then
  grep -o "ready on .* in [0-9.]* s" "$data/out.log"
  topics=$(kcat -b "127.0.0.1:$port" -L 2>/dev/null | grep -c 'topic "mm\.')
  [[ "$topics" -eq 8 ]] || { echo "FAIL: kcat listed $topics mm.* topics, expected 8"; failures=$((failures + 1)); }
else
  echo "FAIL: the broker was not ready within 60 s: $(tail -3 "$data/out.log")"; failures=$((failures + 1))
fi
kill -TERM "$broker" 2>/dev/null
wait "$broker" 2>/dev/null
grep -q "broker stopped" "$data/out.log" || { echo "FAIL: the broker did not shut down cleanly on SIGTERM"; failures=$((failures + 1)); }
rm -rf "$data"

# The README's benchmarks run and report their ratios (what they measure is for the README, not a gate):
# bench --quick runs every benchmark for a few seconds so none of them rots.
expect 2 ./mmstream bench
expect 2 ./mmstream bench no-such-benchmark
expect 0 ./mmstream bench --help
bench=$(./mmstream bench --quick 2>&1)
checks=$((checks + 5))
grep -q "pipeline x real time per core: .*target >= 10x" <<< "$bench" || { echo "FAIL: ./mmstream bench --quick printed no per-core speed: $(tail -3 <<< "$bench")"; failures=$((failures + 1)); }
grep -q "pipeline / decode-only: .*CPU .*target <= 2x" <<< "$bench" || { echo "FAIL: ./mmstream bench --quick printed no decode-only ratio"; failures=$((failures + 1)); }
for batch in 64 1; do
  grep -qE "^streams=10 max_batch=$batch windows/s=[0-9.]+ mean_batch=[0-9.]+ close_p99_ms=-?[0-9]+ event_p99_ms=-?[0-9]+ held=(yes|no)" <<< "$bench" \
    || { echo "FAIL: ./mmstream bench --quick printed no serve summary for max batch $batch: $(tail -3 <<< "$bench")"; failures=$((failures + 1)); }
done
grep -qE "^streams=10 max_batch=64 .* \([1-9][0-9]* of [0-9]+ windows\)" <<< "$bench" || { echo "FAIL: bench serve --quick predicted no window"; failures=$((failures + 1)); }
checks=$((checks + 2))
grep -qE "^\| 64 \| int8 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| – \| [0-9.]+x \| [0-9.]+x \| – \|" <<< "$bench" || { echo "FAIL: bench model --quick printed no int8 batch-64 row"; failures=$((failures + 1)); }
grep -qE "^\| 1 \| fp32 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+x \| [0-9.]+x \| [0-9.]+x \|" <<< "$bench" || { echo "FAIL: bench model --quick printed no fp32 batch-1 row with ratios"; failures=$((failures + 1)); }
checks=$((checks + 1))
grep -qE "^ServingWindowBenchmark.appPerWindow +.* avgt " <<< "$bench" \
  || { echo "FAIL: bench --quick printed no bench window result"; failures=$((failures + 1)); }
jmh=$(./mmstream bench ingest --jmh 2>&1)
checks=$((checks + 1))
grep -q "YIN per 25 ms frame: ours .* TarsosDSP .*x faster" <<< "$jmh" || { echo "FAIL: ./mmstream bench ingest --jmh printed no YIN ratio: $(tail -3 <<< "$jmh")"; failures=$((failures + 1)); }

passed=$((checks - failures))
echo "launcher: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
