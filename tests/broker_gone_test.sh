#!/usr/bin/env bash
# A broker that goes away for good (SIGKILL, never restarted): serve and watch each say within seconds that Kafka
# does not answer, then give up after their --outage-s and exit 1, instead of retrying forever.
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/processes.sh

port=$((20000 + RANDOM % 20000))
bootstrap="127.0.0.1:$port"
./mmstream broker --port "$port" --controller-port $((port + 1)) --data-dir "$dir/broker" > "$dir/broker.log" 2>&1 &
broker=$!
pids+=("$broker")
wait_for "$dir/broker.log" "ready on" 120 || { fail "the broker was not ready in 120 s"; exit 1; }
./mmstream serve --bootstrap "$bootstrap" --state-dir "$dir/state" --app-id gone-test --metrics-port 0 --outage-s 15 \
  > "$dir/serve.log" 2>&1 &
serve=$!
pids+=("$serve")
./mmstream watch --bootstrap "$bootstrap" --outage-s 15 > "$dir/watch.out" 2> "$dir/watch.log" &
watch=$!
pids+=("$watch")
wait_for "$dir/serve.log" "REBALANCING -> RUNNING" 120 || { fail "serve was not running in 120 s: $(tail -3 "$dir/serve.log")"; exit 1; }
wait_for "$dir/watch.log" "watching" 60 || fail "watch did not start: $(tail -2 "$dir/watch.log")"

kill -KILL "$broker"
gone=$SECONDS
wait "$watch"; watch_rc=$?
watch_s=$((SECONDS - gone))
wait "$serve"; serve_rc=$?
serve_s=$((SECONDS - gone))
[[ $watch_rc -eq 1 ]] || fail "watch exited $watch_rc after the broker went away, expected 1"
[[ $serve_rc -eq 1 ]] || fail "serve exited $serve_rc after the broker went away, expected 1"
grep -q "mmstream watch: Kafka at $bootstrap does not answer" "$dir/watch.log" || fail "watch did not say Kafka is away: $(tail -2 "$dir/watch.log")"
grep -q "mmstream watch: Kafka at $bootstrap has not answered for .* (--outage-s 15): giving up" "$dir/watch.log" \
  || fail "watch did not say it gives up: $(tail -2 "$dir/watch.log")"
grep -q "mmstream serve: Kafka at $bootstrap has not answered for .* (--outage-s 15): giving up" "$dir/serve.log" \
  || fail "serve did not say it gives up: $(grep "mmstream serve" "$dir/serve.log" | tail -2)"
grep "mmstream \(serve\|watch\): Kafka" "$dir/watch.log" "$dir/serve.log" | sed 's/^[^:]*://'
echo "broker gone: watch exited $watch_rc after ${watch_s} s, serve $serve_rc after ${serve_s} s; $failures failed checks"
[[ $failures -eq 0 ]]
