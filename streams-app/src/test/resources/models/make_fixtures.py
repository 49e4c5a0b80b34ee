"""Writes the ONNX test fixtures of the streams app's inference tests (dev.mmstream.streams.inference).

Run from the repository root with the project's virtualenv (the training package must be importable; it
lives in training/):

  .venv/bin/python streams-app/src/test/resources/models/make_fixtures.py
  .venv/bin/python streams-app/src/test/resources/models/make_fixtures.py --realistic /tmp/realistic.onnx
  .venv/bin/python streams-app/src/test/resources/models/make_fixtures.py --live   (only live/emotion-live.onnx)
  .venv/bin/python streams-app/src/test/resources/models/make_fixtures.py --live-genre   (only live/genre-live.onnx)
  .venv/bin/python streams-app/src/test/resources/models/make_fixtures.py --live-genre-catalogue
                                                                      (only live-catalogue/genre-catalogue.onnx)
(set MMSTREAM_TRAINING=DIR to take the training package from DIR instead of <repo>/training)

Writes, next to this script:
  emotion-v1.onnx        tiny hybrid model trained 2 epochs on a synthetic dataset (version ...0001)
  onnx_fixture.json      inputs + PyTorch outputs of emotion-v1 (written by the training export)
  emotion-v2.onnx        the same setup with another seed, a higher model_version (hot swap)
  genre-v1.onnx          tiny baseline genre model (a second task in one directory)
  bad/missing-thresholds.onnx  emotion-v1 without the `thresholds` metadata key
  bad/wrong-input-name.onnx    emotion-v1 with its `text` input renamed `tokens`
  live/emotion-live.onnx untrained tiny hybrid model (d=8) over the REAL featurizers' spec ids, dims and
                         lengths (384/67/295, 48/40/20): the integration tests feed it live ingest output
  live/genre-live.onnx   the same for trailers: the genre spec ids, lengths (256/120/64) and 13 Moviescope genres
  live-catalogue/genre-catalogue.onnx  (its own folder: two genre models in one folder would compete) genre-live plus the catalogue inputs poster (295, POSTER_SPEC) and metadata
                         (774, METADATA_SPEC), each with its mask
--realistic PATH writes an untrained model of serving size (d=32 hybrid, dims 384/67/295, lengths
48/40/20, the real spec ids) for timing and the load harness; it is not committed (a few MB).

Model versions are fixed strings in the training export's format (<UTC stamp>-<commit>) so the tests can
assert them; everything is seeded, so a rerun gives the same tensors up to PyTorch's CPU kernels.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# <repo>/training holds mmstream_training; MMSTREAM_TRAINING points elsewhere (e.g. another worktree).
sys.path.insert(0, os.environ.get("MMSTREAM_TRAINING", str(HERE.parents[4] / "training")))

import mmstream_training  # noqa: E402,F401  (sets OpenMP's wait policy before torch loads)
import onnx  # noqa: E402
import torch  # noqa: E402

from mmstream_training.data.fake import FakeSpec, write_dataset  # noqa: E402
from mmstream_training.export_onnx import FIXTURE, export  # noqa: E402
from mmstream_training.inference import load_bundle  # noqa: E402
from mmstream_training.models import FusionModel, ModelConfig  # noqa: E402
from mmstream_training.train import TrainConfig, main as train, onnx_metadata  # noqa: E402

# What ingest stamps on its records and the window assembler on its windows (ingest's AudioSpec,
# VideoOptions, TokenFeatureSpec and align's WindowSpec defaults): a model carrying these accepts live features.
LIVE_SPEC_IDS = {
    "text": "text.minilm-l6-v2-tokens@v1(model=all-minilm-l6-v2,max_tokens=128,timing=char-proportional)",
    "audio": "audio.logmel-prosody@v1(sr=16000,win=400,hop=160,mels=64,fmin=0,fmax=8000,pitch=yin)",
    "video": "video.face-scene@v2(detector=blazeface-front128,detect_every=2,min_score=0.6,crop=1.2,"
             "expr=face-api-1.7.15,hist=h12s4v4,cut=0.5)",
    "window": "window@v1(text=48,audio=40x100ms,video=20,pool=mean)",
}
LIVE_DIMS = {"text": 384, "audio": 67, "video": 295}
LIVE_LENGTHS = {"text": 48, "audio": 40, "video": 20}
# A trailer: ingest's genre defaults (full-range detector on every frame) and align's WindowSpec.genre().
LIVE_GENRE_SPEC_IDS = {
    **LIVE_SPEC_IDS,
    "video": "video.face-scene@v2(detector=blazeface-back256,detect_every=1,min_score=0.6,crop=1.2,"
             "expr=face-api-1.7.15,hist=h12s4v4,cut=0.5)",
    "window": "window@v1(text=256,audio=120x1000ms,video=64,pool=mean)",
}
LIVE_GENRE_LENGTHS = {"text": 256, "audio": 120, "video": 64}
MOVIESCOPE_GENRES = ("action", "animation", "biography", "comedy", "crime", "drama", "family", "fantasy", "horror",
                     "mystery", "romance", "sci-fi", "thriller")
# The catalogue inputs of a trailer as ingest stamps them (contract: poster = the poster through the genre frame
# featurizer, metadata = layout v1 over year, runtime, title and plot, the texts through the live MiniLM).
POSTER_SPEC = "poster@v1(" + LIVE_GENRE_SPEC_IDS["video"] + ")"
METADATA_SPEC = "metadata@v1(year,runtime,title,plot;" + LIVE_GENRE_SPEC_IDS["text"] + ")"
METADATA_DIM = 774  # (year, has_year, runtime, has_runtime, has_title, has_plot) + title and plot MiniLM means


# Max lengths cover the export fixture's lengths (text 6, audio 8, video 4), so its inputs are valid windows.
EMOTION = FakeSpec(n_windows=40, dims={"text": 16, "audio": 7, "video": 10},
                   max_lengths={"text": 8, "audio": 10, "video": 6}, signal=2.0, seed=7)
GENRE = FakeSpec(n_windows=30, task="genre", labels=("action", "comedy", "drama", "horror"),
                 dims={"text": 16, "audio": 7, "video": 10}, max_lengths={"text": 8, "audio": 10, "video": 6},
                 spec_ids={**EMOTION.spec_ids, "window": "trailer/subsample@1"}, seed=3)
TINY = dict(d=8, n_heads=2, crossmodal_layers=1, self_layers=1, max_epochs=2, batch_size=16, device="cpu",
            export=False)


def trained_model(spec: FakeSpec, work: Path, seed: int, arch: str, version: str, out: Path) -> None:
    data = write_dataset(work / f"data-{spec.task}", spec)
    model_dir = work / f"model-{spec.task}-{seed}"
    cfg = TrainConfig.for_task(spec.task, data=str(data), out=str(model_dir), arch=arch, seed=seed, **TINY)
    train(cfg, log=lambda line: None)
    model, bundle = load_bundle(model_dir)
    metadata = onnx_metadata({**bundle, "model_version": version, "git_commit": "fixture"})
    export_dir = work / f"export-{spec.task}-{seed}"
    export_dir.mkdir()
    parity = export(model, export_dir / "model.onnx", metadata, spec.max_lengths, seed=seed)
    print(f"{out.name}: parity max |diff| {max(parity.values()):.2e}")
    shutil.copy(export_dir / "model.onnx", out)
    if out.name == "emotion-v1.onnx":
        shutil.copy(export_dir / FIXTURE, out.parent / FIXTURE)


def without_metadata_key(src: Path, key: str, out: Path) -> None:
    proto = onnx.load(str(src))
    kept = [p for p in proto.metadata_props if p.key != key]
    del proto.metadata_props[:]
    proto.metadata_props.extend(kept)
    onnx.save(proto, str(out))


def with_input_renamed(src: Path, old: str, new: str, out: Path) -> None:
    proto = onnx.load(str(src))
    for value in proto.graph.input:
        if value.name == old:
            value.name = new
    for node in proto.graph.node:
        node.input[:] = [new if name == old else name for name in node.input]
    onnx.checker.check_model(proto)
    onnx.save(proto, str(out))


def untrained_live(out: Path, d: int, n_heads: int, version: str, task: str = "emotion",
                   catalogue: bool = False) -> None:
    """Untrained over the live features: inference cost and serving parity do not depend on the weights.
    catalogue (genre): the model also takes the poster and metadata inputs."""
    torch.manual_seed(0)
    labels = list(EMOTION.labels) if task == "emotion" else list(MOVIESCOPE_GENRES)
    spec_ids, lengths = (LIVE_SPEC_IDS, LIVE_LENGTHS) if task == "emotion" else (LIVE_GENRE_SPEC_IDS, LIVE_GENRE_LENGTHS)
    catalogue_dims = {"poster": LIVE_DIMS["video"], "metadata": METADATA_DIM} if catalogue else {}
    model = FusionModel(ModelConfig(input_dims=LIVE_DIMS, n_labels=len(labels), arch="hybrid", d=d, n_heads=n_heads,
                                    catalogue=tuple(catalogue_dims), catalogue_dims=catalogue_dims))
    if catalogue:
        spec_ids = {**spec_ids, "poster": POSTER_SPEC, "metadata": METADATA_SPEC}
    metadata = {
        "task": task, "labels": labels, "thresholds": [0.5] * len(labels), "spec_ids": spec_ids,
        "max_lengths": lengths, "input_dims": LIVE_DIMS, "gate_names": list(model.cfg.gate_names),
        "model_name": f"mmstream-{task}-hybrid", "model_version": version,
        "dataset_hash": "none", "modalities": ["text", "audio", "video"], "git_commit": "fixture",
        "architecture": "hybrid",
        **({"catalogue_dims": catalogue_dims} if catalogue else {}),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        parity = export(model, Path(tmp) / "model.onnx", metadata, lengths)
        shutil.copy(Path(tmp) / "model.onnx", out)
    print(f"{out}: {model.n_parameters():,} parameters, parity max |diff| {max(parity.values()):.2e}")


def realistic(out: Path) -> None:
    """Serving size (d=32, 4 heads)."""
    untrained_live(out, 32, 4, "20260101000000-realistic")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--realistic", type=Path, help="write only the serving-size timing model to this path")
    p.add_argument("--live", action="store_true", help="write only live/emotion-live.onnx")
    p.add_argument("--live-genre", action="store_true", help="write only live/genre-live.onnx")
    p.add_argument("--live-genre-catalogue", action="store_true",
                   help="write only live-catalogue/genre-catalogue.onnx (genre-live with poster and metadata inputs)")
    a = p.parse_args()
    torch.set_num_threads(1)
    if a.realistic:
        realistic(a.realistic)
        return
    if a.live:
        untrained_live(HERE / "live" / "emotion-live.onnx", 8, 2, "20260101000000-live000001")
        return
    if a.live_genre:
        untrained_live(HERE / "live" / "genre-live.onnx", 8, 2, "20260101000000-live000001", task="genre")
        return
    if a.live_genre_catalogue:
        untrained_live(HERE / "live-catalogue" / "genre-catalogue.onnx", 8, 2, "20260101000000-live000002", task="genre",
                       catalogue=True)
        return
    (HERE / "bad").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        trained_model(EMOTION, work, 0, "hybrid", "20260101000000-fixture000001", HERE / "emotion-v1.onnx")
        trained_model(EMOTION, work, 1, "hybrid", "20260102000000-fixture000002", HERE / "emotion-v2.onnx")
        trained_model(GENRE, work, 0, "baseline", "20260101000000-fixture000001", HERE / "genre-v1.onnx")
    untrained_live(HERE / "live" / "emotion-live.onnx", 8, 2, "20260101000000-live000001")
    untrained_live(HERE / "live" / "genre-live.onnx", 8, 2, "20260101000000-live000001", task="genre")
    untrained_live(HERE / "live-catalogue" / "genre-catalogue.onnx", 8, 2, "20260101000000-live000002", task="genre",
                   catalogue=True)
    without_metadata_key(HERE / "emotion-v1.onnx", "thresholds", HERE / "bad" / "missing-thresholds.onnx")
    with_input_renamed(HERE / "emotion-v1.onnx", "text", "tokens", HERE / "bad" / "wrong-input-name.onnx")
    for path in sorted(HERE.rglob("*.onnx")) + [HERE / FIXTURE]:
        print(f"{path.relative_to(HERE)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
