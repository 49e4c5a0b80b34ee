#!/usr/bin/env bash
# The streams app's load harness (dev.mmstream.streams.load.LoadHarness, test scope): N synthetic live
# streams into an embedded broker, the streams app with a serving-size model, batched vs batch-1.
#   streams-app/load-harness.sh --streams 100,150,200 [--warmup-s 10] [--measure-s 30] [--help]
# Run from anywhere after ./mmstream setup; each phase stops by itself.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$ROOT/work/bench/emotion-realistic.onnx"
mkdir -p "$ROOT/work/bench" "$ROOT/work/tmp"
if [[ ! -f "$MODEL" ]]; then
  echo "[load] writing the serving-size model $MODEL (make_fixtures.py --realistic, about a minute)" >&2
  "$ROOT/.venv/bin/python" "$ROOT/streams-app/src/test/resources/models/make_fixtures.py" --realistic "$MODEL" >&2
fi
echo "[load] compiling the harness (mvn test-compile)" >&2
# In one reactor build the sibling modules resolve to their target/classes, not to stale ~/.m2 snapshots.
mvn -B -q -f "$ROOT/pom.xml" -pl streams-app -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
# The classpath goes through the environment: ONNX Runtime 1.29 segfaults with a long command line.
export CLASSPATH="$ROOT/streams-app/target/test-classes:$ROOT/streams-app/target/classes:$(cat "$ROOT/streams-app/target/test-classpath.txt")"
exec java -Djava.io.tmpdir="$ROOT/work/tmp" dev.mmstream.streams.load.LoadHarness --model "$MODEL" "$@"
