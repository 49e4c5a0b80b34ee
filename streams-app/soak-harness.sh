#!/usr/bin/env bash
# The soak harness (dev.mmstream.streams.load.SoakHarness, test scope): the serving benchmark's load for minutes,
# serve in its own process, heap after GC, open files, state size and lag sampled and judged.
#   streams-app/soak-harness.sh [--streams 100] [--minutes 10] [--sample-s 30] [--quick] [--help]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$ROOT/work/bench/emotion-realistic.onnx"
mkdir -p "$ROOT/work/bench" "$ROOT/work/tmp"
if [[ ! -f "$MODEL" ]]; then
  echo "[soak] writing the serving-size model $MODEL (make_fixtures.py --realistic, about a minute)" >&2
  "$ROOT/.venv/bin/python" "$ROOT/streams-app/src/test/resources/models/make_fixtures.py" --realistic "$MODEL" >&2
fi
echo "[soak] compiling the harness (mvn test-compile)" >&2
mvn -B -q -f "$ROOT/pom.xml" -pl streams-app -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
# The classpath goes through the environment: ONNX Runtime segfaults with a long command line.
export CLASSPATH="$ROOT/streams-app/target/test-classes:$ROOT/streams-app/target/classes:$(cat "$ROOT/streams-app/target/test-classpath.txt")"
exec java -Djava.io.tmpdir="$ROOT/work/tmp" dev.mmstream.streams.load.SoakHarness --model "$MODEL" "$@"
