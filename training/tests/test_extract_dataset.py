"""`./mmstream extract` on a tiny synth corpus, read back the way training reads it: fastavro + dataset.json.

Runs the real launcher (setup has built the jars before pytest runs in `./mmstream test`), so this covers the
Java writer and the Python reader of the same files."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import fastavro
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ holds the packages

from mmstream_synth.corpus import CorpusConfig, generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MODALITIES = ("text", "audio", "video")
EMOTIONS = ["anger", "disgust", "fear", "happy", "sad", "surprise"]
FACE_PART = 7 + 256 + 4 + 3  # FrameVectorizer: expressions, embedding, box, score, has-face, log face count
SCENE_SCALARS = 5  # brightness, contrast, colourfulness, motion, shot cut


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("extract")
    manifest = generate(CorpusConfig(task="emotion", count=2, out=work / "corpus", seed=5, jobs=2), progress=False)
    dataset = work / "dataset"
    run = subprocess.run([str(ROOT / "mmstream"), "extract", "--manifest", str(manifest), "--out", str(dataset),
                          "--jobs", "2"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"extract failed ({run.returncode}):\n{run.stdout}\n{run.stderr[-4000:]}"
    return manifest, dataset


def read_avro(path: Path) -> list[dict]:
    with path.open("rb") as f:
        reader = fastavro.reader(f)
        assert reader.codec in ("deflate", "zstandard"), reader.codec
        return list(reader)


def manifest_rows(manifest: Path) -> dict[str, dict]:
    with manifest.open(newline="") as f:
        return {row["clip_id"]: row for row in csv.DictReader(f)}


def test_dataset_json_describes_the_windows_files(extracted):
    manifest, dataset = extracted
    meta = json.loads((dataset / "dataset.json").read_text())
    rows = manifest_rows(manifest)
    files = sorted((dataset / "windows").glob("*.avro"))

    assert meta["task"] == "emotion"
    assert meta["labels"] == EMOTIONS
    assert set(meta["spec_ids"]) == {"text", "audio", "video", "window"}
    assert meta["dims"]["text"] == 384
    assert meta["max_lengths"] == {"text": 48, "audio": 40, "video": 20}
    assert meta["errors"] == 0
    assert [f.stem for f in files] == sorted(rows)
    assert meta["clips"] == len(files) == 2
    assert meta["windows"] == sum(len(read_avro(f)) for f in files)
    assert meta["hash"] == hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    assert (dataset / "errors.csv").read_text().splitlines() == ["clip_id,reason"]


def test_windows_have_the_shapes_their_spec_ids_promise(extracted):
    manifest, dataset = extracted
    meta = json.loads((dataset / "dataset.json").read_text())
    rows = manifest_rows(manifest)
    for path in sorted((dataset / "windows").glob("*.avro")):
        windows = read_avro(path)
        row = rows[path.stem]
        assert [w["window_start_ms"] for w in windows] == [1000 * i for i in range(len(windows))]
        for w in windows:
            assert w["stream_id"] == path.stem and w["task"] == "EMOTION"
            assert w["window_end_ms"] - w["window_start_ms"] == 4000
            assert w["labels"] == row["labels"].split(";") and w["split"] == row["split"]
            assert w["spec_ids"]["window"] == meta["spec_ids"]["window"]
            # a modality with no step in the window carries no spec id; the others carry the dataset's
            assert {k: meta["spec_ids"][k] for k in w["spec_ids"]} == w["spec_ids"]
            for m in MODALITIES:
                rows_, cols, values = w[m]["rows"], w[m]["cols"], w[m]["values"]
                assert 0 <= rows_ <= meta["max_lengths"][m], (path.name, m, rows_)
                assert len(values) == rows_ * cols
                assert (m in w["spec_ids"]) == (rows_ > 0), (path.name, w["window_start_ms"], m)
                if rows_:
                    assert cols == meta["dims"][m]
                    x = np.asarray(values, dtype=np.float32).reshape(rows_, cols)
                    assert np.isfinite(x).all()
        first = windows[0]
        assert all(first[m]["rows"] > 0 for m in MODALITIES), "the first 4 s of a synth clip have speech, sound and picture"


def test_raw_feature_records_match_the_spec_ids_and_dims(extracted):
    _, dataset = extracted
    meta = json.loads((dataset / "dataset.json").read_text())
    mels = int(re.search(r"mels=(\d+)", meta["spec_ids"]["audio"]).group(1))
    assert meta["dims"]["audio"] == mels + 3  # pooled log-mel + pitch, voicing, energy
    for clip in sorted(p.stem for p in (dataset / "windows").glob("*.avro")):
        features = dataset / "features" / clip
        events = read_avro(features / "events.avro")
        assert [e["type"] for e in events] == ["START", "END"] and events[1]["media_end_ms"] > 6000
        frames = read_avro(features / "frames.avro")
        assert len(frames) >= 5 * events[1]["media_end_ms"] // 1000 - 1  # 5 sampled frames per second
        for f in frames:
            assert f["spec_id"] == meta["spec_ids"]["video"]
            assert FACE_PART + len(f["scene"]["histogram"]) + SCENE_SCALARS == meta["dims"]["video"]
        for a in read_avro(features / "audio.avro"):
            assert a["spec_id"] == meta["spec_ids"]["audio"]
            assert a["logmel"]["cols"] == mels and a["prosody"]["cols"] == 3
            assert a["logmel"]["rows"] == a["prosody"]["rows"] > 0
        tokens = read_avro(features / "tokens.avro")
        assert tokens, f"{clip}: the synth captions became no token record"
        for t in tokens:
            assert t["spec_id"] == meta["spec_ids"]["text"]
            assert t["embeddings"]["cols"] == meta["dims"]["text"]
            assert t["embeddings"]["rows"] == len(t["tokens"]) == len(t["token_times_ms"])
