#!/usr/bin/env bash
# The streams app's harnesses (dev.mmstream.streams.load, test scope), with the serving-size model:
#   streams-app/harness.sh load  --streams 100,150,200 [--warmup-s 10] [--measure-s 30]   (./mmstream bench serve)
#   streams-app/harness.sh soak  [--streams 100] [--minutes 10] [--sample-s 30]          (./mmstream bench soak)
#   streams-app/harness.sh scale [--streams 300] [--instances 1,2,3]                     (./mmstream bench scale)
# Each takes --help and --quick. Run from anywhere after ./mmstream setup.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-}" in
  load) CLASS=LoadHarness ;;
  soak) CLASS=SoakHarness ;;
  scale) CLASS=ScaleHarness ;;
  *) echo "usage: streams-app/harness.sh load|soak|scale [options]" >&2; exit 2 ;;
esac
shift
MODEL="$ROOT/work/bench/emotion-realistic.onnx"
mkdir -p "$ROOT/work/bench" "$ROOT/work/tmp"
if [[ ! -f "$MODEL" ]]; then
  echo "[harness] writing the serving-size model $MODEL (make_fixtures.py --realistic, about a minute)" >&2
  "$ROOT/.venv/bin/python" "$ROOT/streams-app/src/test/resources/models/make_fixtures.py" --realistic "$MODEL" >&2
fi
echo "[harness] compiling the harness (mvn test-compile)" >&2
# In one reactor build the sibling modules resolve to their target/classes, not to stale ~/.m2 snapshots.
mvn -B -q -f "$ROOT/pom.xml" -pl streams-app -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
# The classpath goes through the environment: ONNX Runtime segfaults with a long command line.
export CLASSPATH="$ROOT/streams-app/target/test-classes:$ROOT/streams-app/target/classes:$(cat "$ROOT/streams-app/target/test-classpath.txt")"
exec java -Djava.io.tmpdir="$ROOT/work/tmp" "dev.mmstream.streams.load.$CLASS" --model "$MODEL" "$@"
