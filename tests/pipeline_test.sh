#!/usr/bin/env bash
# The README's "live pipeline by hand", four programs as a user starts them in four terminals:
# ./mmstream broker, serve (the shipped model, its default), watch and ingest --realtime of a clip with speech
# and captions, then a speech-only WAV (an EmoDB recording when ../shared/data/real is there) and a transcript
# typed into ingest's standard input. watch must print the predictions with the modalities each stream has,
# serve's /metrics must count them, and broker and serve must stop cleanly on SIGTERM.
set -uo pipefail
cd "$(dirname "$0")/.."
models=models/pretrained
source tests/processes.sh

[[ -f "$models/emotion.onnx" ]] || { echo "FAIL: $models/emotion.onnx is missing (it is committed: git checkout it)"; exit 1; }

# 8 s of test pattern with two spoken sentences, captioned.
espeak-ng -s 170 -w "$dir/speech.wav" "the cat sat on the mat. a dog ran in the park"
ffmpeg -nostdin -v error -f lavfi -i testsrc=duration=8:size=320x240:rate=25 -i "$dir/speech.wav" \
  -filter_complex "[1:a]apad,atrim=0:8[a]" -map 0:v -map "[a]" -c:v libx264 -preset ultrafast -pix_fmt yuv420p \
  -c:a aac "$dir/clip.mp4"
printf '1\n00:00:00,200 --> 00:00:01,400\nthe cat sat on the mat\n\n2\n00:00:01,700 --> 00:00:02,900\na dog ran in the park\n' \
  > "$dir/clip.srt"

port=$((20000 + RANDOM % 20000))
metrics=$((port + 2))
bootstrap="127.0.0.1:$port"
./mmstream broker --port "$port" --controller-port $((port + 1)) --data-dir "$dir/broker" > "$dir/broker.log" 2>&1 &
broker=$!
pids+=("$broker")
wait_for "$dir/broker.log" "ready on" 120 || { fail "the broker was not ready in 120 s: $(tail -3 "$dir/broker.log")"; exit 1; }

./mmstream serve --bootstrap "$bootstrap" --metrics-port "$metrics" --state-dir "$dir/state" \
  --app-id pipeline-test > "$dir/serve.log" 2>&1 &
serve=$!
pids+=("$serve")
wait_for "$dir/serve.log" "REBALANCING -> RUNNING" 120 \
  || { fail "serve was not running in 120 s: $(tail -5 "$dir/serve.log")"; exit 1; }

# --from-beginning: a fresh broker holds only this clip's predictions, and none is missed while watch joins.
./mmstream watch --task emotion --bootstrap "$bootstrap" --from-beginning --max 3 --timeout-s 180 \
  > "$dir/watch.out" 2> "$dir/watch.log" &
watch=$!
pids+=("$watch")

./mmstream ingest --source "$dir/clip.mp4" --captions "$dir/clip.srt" --stream-id cam-1 --bootstrap "$bootstrap" \
  --realtime > "$dir/ingest.out" 2>&1
status=$?
[[ $status -eq 0 ]] || fail "ingest exited $status: $(tail -5 "$dir/ingest.out")"
grep -qE "cam-1: 8\.[0-9] s of media in .*: 2 stream events, .* frames, .* audio chunks, 2 caption cues" "$dir/ingest.out" \
  || fail "no ingest summary with 2 stream events and 2 caption cues: $(tail -3 "$dir/ingest.out")"

wait "$watch"
lines=$(grep -c "cam-1" "$dir/watch.out")
[[ $lines -eq 3 ]] || fail "watch printed $lines predictions of cam-1, expected 3 (--max 3): $(cat "$dir/watch.out" "$dir/watch.log" | tail -5)"
grep -q "cam-1 .*\[TAV *\] driven by .* mmstream-emotion-hybrid" "$dir/watch.out" \
  || fail "no prediction line with all three modalities and the model's name"

# A real speech recording alone, and a live transcript alone (plain lines and START<TAB>END<TAB>TEXT lines).
wav=../shared/data/real/emodb/wav/03a01Wa.wav
[[ -f "$wav" ]] || wav="$dir/speech.wav"
./mmstream ingest --source "$wav" --stream-id voice-1 --bootstrap "$bootstrap" --realtime > "$dir/voice.out" 2>&1 \
  || fail "ingest of $wav exited non-zero: $(tail -3 "$dir/voice.out")"
printf '0.2\t1.8\tI am so happy to see you\n2.0\t3.5\tthis is wonderful news, thank you\n' \
  | ./mmstream ingest --captions - --stream-id chat-1 --bootstrap "$bootstrap" > "$dir/chat.out" 2>&1 \
  || fail "ingest --captions - exited non-zero: $(tail -3 "$dir/chat.out")"
./mmstream watch --task emotion --bootstrap "$bootstrap" --from-beginning --timeout-s 20 > "$dir/watch2.out" 2>&1
grep -q "voice-1 .*\[A *\]" "$dir/watch2.out" || fail "no audio-only prediction for $wav: $(grep voice-1 "$dir/watch2.out" | head -2)"
grep -q "chat-1 .*\[T *\]" "$dir/watch2.out" || fail "no text-only prediction for the typed transcript: $(grep chat-1 "$dir/watch2.out" | head -2)"
chat=$(grep -c "chat-1" "$dir/watch2.out")
[[ $chat -eq 4 ]] || fail "watch printed $chat predictions of chat-1, expected 4 (windows starting at 0-3 s of a 3.5 s transcript)"

scored=$(curl -s "http://127.0.0.1:$metrics/metrics" | awk '/^mmstream_windows_scored_total/ {print int($2)}')
[[ ${scored:-0} -ge 8 ]] || fail "serve's /metrics counts ${scored:-no} scored windows, expected at least 8"

# The app first, as a deployment stops them: an app that loses its broker mid-shutdown cannot commit.
kill -TERM "$serve"
wait "$serve" 2>/dev/null
kill -TERM "$broker"
wait "$broker" 2>/dev/null
grep -q "NOT_RUNNING" "$dir/serve.log" || fail "serve did not shut down cleanly on SIGTERM: $(tail -3 "$dir/serve.log")"
grep -q "broker stopped" "$dir/broker.log" || fail "the broker did not shut down cleanly on SIGTERM"

cat "$dir/watch.out"; grep -E "voice-1|chat-1" "$dir/watch2.out"
echo "pipeline: broker, serve, watch, ingest: $failures failed checks"
[[ $failures -eq 0 ]]
