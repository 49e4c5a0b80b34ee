#!/usr/bin/env bash
# ./mmstream bench model: the serving model's cost per window in PyTorch eager, ONNX Runtime Python and ONNX
# Runtime Java, batch 1/8/64, fp32 and int8, on the same weights (training/mmstream_training/bench_model.py).
#   benchmarks/model-bench.sh [--seconds S]     (default 5 s per runtime, dtype and batch; --quick: 0.3 s)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/work/bench/model"
seconds=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --quick) seconds=0.3; shift ;;
    -h|--help) sed -n 2,4p "$0" | sed 's/^# //'; exit 0 ;;
    *) echo "bench model: unknown option $1" >&2; exit 2 ;;
  esac
done
export PYTHONPATH="$ROOT/training${PYTHONPATH:+:$PYTHONPATH}"
py() { "$ROOT/.venv/bin/python" -m mmstream_training.bench_model "$@" --out "$OUT"; }
py prepare 2> >(grep -v "pre-processing before quantization" >&2)
echo "[bench model] PyTorch eager and ONNX Runtime Python, ${seconds} s each" >&2
py python --seconds "$seconds"
echo "[bench model] ONNX Runtime Java, ${seconds} s each (compiling the streams app's test classes first)" >&2
mvn -B -q -f "$ROOT/pom.xml" -pl streams-app -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >&2
# The classpath goes through the environment: ONNX Runtime 1.29 segfaults with a long command line.
CLASSPATH="$ROOT/streams-app/target/test-classes:$ROOT/streams-app/target/classes:$(cat "$ROOT/streams-app/target/test-classpath.txt")" \
  java -Djava.io.tmpdir="$ROOT/work/tmp" dev.mmstream.streams.inference.InferenceTiming "$OUT/java.json" "$seconds" \
  "fp32=$OUT/model-fp32.onnx" "int8=$OUT/model-int8.onnx" >&2
py report
