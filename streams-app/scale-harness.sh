#!/usr/bin/env bash
# The scale harness (dev.mmstream.streams.load.ScaleHarness, test scope): windows/s with 1, 2, 3 serve instances under one load.
#   streams-app/scale-harness.sh [--streams 300] [--instances 1,2,3] [--warmup-s 15] [--measure-s 30] [--help]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$ROOT/work/bench/emotion-realistic.onnx"
mkdir -p "$ROOT/work/bench" "$ROOT/work/tmp"
if [[ ! -f "$MODEL" ]]; then
  echo "[scale] writing the serving-size model $MODEL (make_fixtures.py --realistic, about a minute)" >&2
  "$ROOT/.venv/bin/python" "$ROOT/streams-app/src/test/resources/models/make_fixtures.py" --realistic "$MODEL" >&2
fi
echo "[scale] compiling the harness (mvn test-compile)" >&2
mvn -B -q -f "$ROOT/pom.xml" -pl streams-app -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
# The classpath goes through the environment: ONNX Runtime segfaults with a long command line.
export CLASSPATH="$ROOT/streams-app/target/test-classes:$ROOT/streams-app/target/classes:$(cat "$ROOT/streams-app/target/test-classpath.txt")"
exec java -Djava.io.tmpdir="$ROOT/work/tmp" dev.mmstream.streams.load.ScaleHarness --model "$MODEL" "$@"
