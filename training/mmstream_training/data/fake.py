"""Synthetic datasets in the exact format `extract` writes (dataset.json + windows/*.avro of ModelWindow),
for tests and speed measurements. Labels leave a learnable trace in every modality: each label adds its own
random direction to the steps of the windows that carry it, and to their catalogue vectors when the spec asks
for catalogue inputs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import fastavro
import numpy as np

from mmstream_training import CATALOGUE, MODALITIES
from mmstream_training.data.schema import model_window_schema

EMOTION_LABELS = ("anger", "disgust", "fear", "happiness", "sadness", "surprise")


@dataclass(frozen=True)
class FakeSpec:
    """What to generate; the defaults are close to the real emotion dataset's shapes."""

    n_windows: int = 120
    task: str = "emotion"
    labels: tuple[str, ...] = EMOTION_LABELS
    dims: dict[str, int] = field(default_factory=lambda: {"text": 384, "audio": 67, "video": 300})
    max_lengths: dict[str, int] = field(default_factory=lambda: {"text": 48, "audio": 40, "video": 20})
    spec_ids: dict[str, str] = field(
        default_factory=lambda: {
            "text": "minilm-l6-v2/tokens@1",
            "audio": "logmel64+prosody3/pool100ms@1",
            "video": "faceapi7+256/scene37@1",
            "window": "hop4000/1000@1",
        }
    )
    windows_per_clip: int = 5
    label_prob: float = 0.3
    missing_prob: float = 0.1  # chance that a modality has no steps in a window
    signal: float = 1.0  # strength of the label directions against unit noise
    raw_scales: bool = False  # give each column its own offset and scale, as real features have
    seed: int = 0
    absent: tuple[str, ...] = ()  # modalities no window has (a speech corpus has no text or video)
    windowing: dict = field(default_factory=lambda: {"kind": "hopping", "size_ms": 4000, "advance_ms": 1000})
    source: str = ""  # when set: clips.csv names this source, clip ids start with it, groups are clip % 3
    # Catalogue inputs (poster, metadata) by width; empty: dataset.json has no "catalogue" key and every
    # window's catalogue is null, as in older extracts and emotion datasets.
    catalogue_dims: dict[str, int] = field(default_factory=dict)
    catalogue_missing_prob: float = 0.3  # chance that a window lacks a catalogue input

    def catalogue_spec_ids(self) -> dict[str, str]:
        return {c: f"{c}@fake1" for c in self.catalogue_dims}


def fake_windows(spec: FakeSpec) -> Iterator[dict]:
    """ModelWindow records as dicts, splits assigned per clip (60/20/20), so clips never straddle splits."""
    rng = np.random.default_rng(spec.seed)
    directions = {
        m: rng.standard_normal((len(spec.labels), spec.dims[m])).astype(np.float32) / np.sqrt(spec.dims[m]) * 4
        for m in MODALITIES
    }
    # Own generator, so switching raw_scales on leaves every other drawn value as it was.
    col_rng = np.random.default_rng([spec.seed, 1])
    offsets = {m: col_rng.uniform(-50, 50, spec.dims[m]).astype(np.float32) if spec.raw_scales
               else np.zeros(spec.dims[m], np.float32) for m in MODALITIES}
    scales = {m: (10 ** col_rng.uniform(-2, 1.7, spec.dims[m])).astype(np.float32) if spec.raw_scales
              else np.ones(spec.dims[m], np.float32) for m in MODALITIES}
    # Catalogue draws from their own generator too, so a spec without catalogue inputs gives the windows it gave.
    cat_rng = np.random.default_rng([spec.seed, 2])
    cat_directions = {c: cat_rng.standard_normal((len(spec.labels), d)).astype(np.float32) / np.sqrt(d) * 4
                      for c, d in spec.catalogue_dims.items()}
    n_clips = -(-spec.n_windows // spec.windows_per_clip)
    clip_splits = np.array(["train", "val", "test"])[np.arange(n_clips) % 5 // 3 + (np.arange(n_clips) % 5 == 4)]
    for i in range(spec.n_windows):
        clip = i // spec.windows_per_clip
        y = rng.random(len(spec.labels)) < spec.label_prob
        record = {
            "stream_id": f"{spec.source}clip{clip:05d}",
            "task": spec.task.upper(),
            "window_start_ms": (i % spec.windows_per_clip) * 1000,
            "window_end_ms": (i % spec.windows_per_clip) * 1000 + 4000,
            "split": str(clip_splits[clip]),
            "labels": [name for name, on in zip(spec.labels, y) if on],
            "spec_ids": {k: v for k, v in spec.spec_ids.items() if k not in spec.absent},
        }
        for m in MODALITIES:
            rows = 0 if rng.random() < spec.missing_prob else int(rng.integers(1, spec.max_lengths[m] + 1))
            rows = 0 if m in spec.absent else rows
            x = rng.standard_normal((rows, spec.dims[m])).astype(np.float32)
            x += spec.signal * (y.astype(np.float32) @ directions[m])
            x = x * scales[m] + offsets[m]
            record[m] = matrix(x, spec.dims[m])
        record["catalogue"] = catalogue(spec, y, cat_rng, cat_directions) if spec.catalogue_dims else None
        yield record


def catalogue(spec: FakeSpec, y: np.ndarray, rng: np.random.Generator, directions: dict[str, np.ndarray]) -> dict:
    """A CatalogueFeatures record: each input present with chance 1 - catalogue_missing_prob."""
    entry: dict = {"poster": None, "metadata": None, "spec_ids": {}}
    for c in CATALOGUE:
        if c not in spec.catalogue_dims or rng.random() < spec.catalogue_missing_prob:
            continue
        x = rng.standard_normal(spec.catalogue_dims[c]).astype(np.float32) + spec.signal * (y.astype(np.float32) @ directions[c])
        entry[c] = x.tolist()
        entry["spec_ids"][c] = spec.catalogue_spec_ids()[c]
    return entry


def matrix(x: np.ndarray, cols: int) -> dict:
    """A Matrix record (row-major values)."""
    return {"rows": int(x.shape[0]), "cols": cols, "values": x.astype(np.float32).ravel().tolist()}


def write_dataset(directory: Path | str, spec: FakeSpec, records: Iterable[dict] | None = None,
                  windows_per_file: int = 1000) -> Path:
    """Writes dataset.json and windows/part-*.avro; `records` (default: fake_windows(spec)) may be edited
    copies, so tests can plant a bad window."""
    directory = Path(directory)
    (directory / "windows").mkdir(parents=True, exist_ok=True)
    schema = model_window_schema()
    records = list(fake_windows(spec) if records is None else records)
    digest = hashlib.sha256()
    for part, start in enumerate(range(0, len(records), windows_per_file)):
        path = directory / "windows" / f"part-{part:05d}.avro"
        with path.open("wb") as f:
            fastavro.writer(f, schema, records[start : start + windows_per_file], codec="deflate")
        digest.update(path.read_bytes())
    meta = {
        "task": spec.task,
        "labels": list(spec.labels),
        "spec_ids": dict(spec.spec_ids),
        "dims": dict(spec.dims),
        "max_lengths": dict(spec.max_lengths),
        "windowing": dict(spec.windowing),
        "hash": digest.hexdigest(),
    }
    if spec.catalogue_dims:
        meta["catalogue"] = {"dims": dict(spec.catalogue_dims), "spec_ids": spec.catalogue_spec_ids()}
    (directory / "dataset.json").write_text(json.dumps(meta, indent=2))
    if spec.source:
        clips = dict.fromkeys(r["stream_id"] for r in records)
        (directory / "clips.csv").write_text("clip_id,source,group\n" + "".join(
            f"{c},{spec.source},group-{i % 3}\n" for i, c in enumerate(clips)))
    return directory


def main() -> None:
    import argparse

    p = argparse.ArgumentParser(description="Write a synthetic mmstream feature dataset (for tests and timing).")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--windows", type=int, default=6000)
    p.add_argument("--task", choices=["emotion", "genre"], default="emotion")
    p.add_argument("--video-dim", type=int, default=300)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--signal", type=float, default=1.0, help="strength of the label traces (lower = harder)")
    p.add_argument("--catalogue", action="store_true",
                   help="genre: windows carry poster (video dim) and metadata (774) catalogue inputs")
    a = p.parse_args()
    if a.catalogue and a.task != "genre":
        p.error("--catalogue is for --task genre: emotion datasets never have catalogue inputs")
    dims = {"text": 384, "audio": 67, "video": a.video_dim}
    catalogue_dims = {"poster": a.video_dim, "metadata": 774} if a.catalogue else {}
    write_dataset(a.out, FakeSpec(n_windows=a.windows, task=a.task, dims=dims, seed=a.seed, signal=a.signal,
                                  catalogue_dims=catalogue_dims))
    print(f"wrote {a.windows} windows to {a.out}")


if __name__ == "__main__":
    main()
