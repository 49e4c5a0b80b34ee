#!/usr/bin/env bash
# The real-data path end to end on a few items of each corpus (./mmstream evaluate-real --quick): import EmoDB,
# MELD and GoEmotions in their own formats, extract them with the serving featurizers, make a small synthetic
# corpus, train the shipped recipe briefly, two leave-one-speaker-out folds, and print every source's table.
# A check that the path works, not a measurement. Without ../shared/data/real it says so and skips.
set -uo pipefail
cd "$(dirname "$0")/.."
real=../shared/data/real
if [[ ! -d "$real/emodb" || ! -d "$real/meld" || ! -d "$real/goemotions" ]]; then
  echo "SKIPPED the real-data check: $real (EmoDB, MELD, GoEmotions) is not on this machine"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
started=$SECONDS

./mmstream evaluate-real --quick --real "$real" --work "$work" > "$work/out" 2> "$work/log"
status=$?
[[ $status -eq 0 ]] || fail "./mmstream evaluate-real --quick exited $status: $(tail -5 "$work/log")"
for row in "EmoDB, leave one speaker out (2 folds), audio" "MELD dev, text" "GoEmotions dev, text" "synthetic test split"; do
  grep -qF "| $row" "$work/out" || fail "no summary row '$row'"
done
grep -q "#### EmoDB, speaker-independent (mean ± std over 2 folds)" "$work/out" || fail "no EmoDB per-label table"
grep -qE "^\| ROC-AUC \| [0-9.]+" "$work/out" || fail "no per-label ROC-AUC row with numbers"
grep -qE "^\|   baseline: pooled log-mel \+ prosody, logistic regression \(2 folds\) \| [0-9.]+" "$work/out" \
  || fail "the EmoDB baseline row has no numbers"
[[ -s "$work/quick/models/main/emotion.onnx" ]] || fail "the quick run exported no emotion.onnx"
for corpus in emodb meld goemotions; do
  [[ -s "$work/quick/import/$corpus/manifest.csv" ]] || fail "no manifest imported from $corpus"
  grep -q '"windows"' "$work/quick/datasets/$corpus/dataset.json" 2>/dev/null || fail "no $corpus dataset extracted"
done

if [[ $failures -gt 0 ]]; then tail -30 "$work/log"; cat "$work/out"; fi
echo "real data (quick): exit $status after $((SECONDS - started)) s, $failures failed checks"
[[ $failures -eq 0 ]]
