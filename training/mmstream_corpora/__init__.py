"""Readers for real labelled corpora in their own formats (EmoDB file names, MELD CSV, GoEmotions TSV) into
mmstream manifests: `./mmstream import emodb|meld|goemotions --data DIR --out DIR`.

The corpora stay where they are (they are never copied into the repository): an EmoDB row points at the
original WAV; a text item becomes a one-cue SRT file under OUT/captions, since a manifest row with captions
and no media is a text-only clip."""
