"""Generates a corpus: clips in parallel, then manifest.csv.

Every clip depends only on (task, seed, index, difficulty), so the number of jobs and the order in
which workers finish never change a byte of the output.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from . import tools
from .clip import ClipFiles

MANIFEST_COLUMNS = ("clip_id", "media_path", "captions_path", "metadata_path", "labels", "split")
SPLITS = (("train", 0.70), ("val", 0.15), ("test", 0.15))
GENERATOR_VERSION = 1


@dataclass(frozen=True)
class CorpusConfig:
    task: str  # "emotion" or "genre"
    count: int
    out: Path
    seed: int
    difficulty: float = 0.5  # 0 = clean, 1 = very noisy modalities
    jobs: int = 1

    def __post_init__(self) -> None:
        if self.task not in ("emotion", "genre"):
            raise ValueError(f"task must be 'emotion' or 'genre', got {self.task!r}")
        if self.count < 1:
            raise ValueError(f"--count must be >= 1, got {self.count}")
        if not 0.0 <= self.difficulty <= 1.0:
            raise ValueError(f"--difficulty must be in [0, 1], got {self.difficulty}")
        if self.jobs < 1:
            raise ValueError(f"--jobs must be >= 1, got {self.jobs}")


@dataclass(frozen=True)
class ManifestRow:
    clip_id: str
    media_path: str
    captions_path: str
    metadata_path: str
    labels: str
    split: str


def clip_id(task: str, seed: int, index: int) -> str:
    return f"{task[:3]}-s{seed}-{index:05d}"


def split_of(seed: int, cid: str) -> str:
    """70/15/15 by a seeded hash of the clip id: stable whatever the corpus size."""
    u = int.from_bytes(hashlib.sha256(f"{seed}:{cid}".encode()).digest()[:8], "big") / 2.0 ** 64
    acc = 0.0
    for name, share in SPLITS:
        acc += share
        if u < acc:
            return name
    return SPLITS[-1][0]


def make_clip(task: str, seed: int, index: int, difficulty: float, out: Path) -> ManifestRow:
    """Renders one clip into out/{media,captions,meta}; safe to run in any process."""
    from .emotion import plan_emotion, render_emotion
    from .genre import plan_genre, render_genre

    cid = clip_id(task, seed, index)
    plan = (plan_emotion if task == "emotion" else plan_genre)(cid, seed, index, difficulty)
    suffix = f".{plan.sidecar}" if plan.sidecar else ".srt"
    files = ClipFiles(out / "media" / f"{cid}.mp4", out / "captions" / f"{cid}{suffix}",
                      out / "meta" / f"{cid}.json")
    with tempfile.TemporaryDirectory(prefix=f"mmsynth-{cid}-") as tmp:
        details = (render_emotion if task == "emotion" else render_genre)(plan, files, Path(tmp))
    if task == "genre":
        details = {**details, **_poster(plan, seed, index, difficulty, out)}
    has_sidecar = plan.sidecar is not None and files.captions.exists()
    meta = {
        "clip_id": cid, "task": task, "seed": seed, "index": index, "difficulty": difficulty,
        "generator_version": GENERATOR_VERSION,
        "labels": list(plan.labels),
        "modalities": {k: v.value for k, v in plan.modalities.items()},
        "decoy_labels": list(plan.decoys),
        "captions": {"sidecar": plan.sidecar if has_sidecar else None, "embedded": plan.embedded},
        **details,
    }
    files.metadata.write_text(json.dumps(meta, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return ManifestRow(cid, _relative(files.media, out), _relative(files.captions, out) if has_sidecar else "",
                       _relative(files.metadata, out), ";".join(plan.labels), split_of(seed, cid))


def _poster(plan, seed: int, index: int, difficulty: float, out: Path) -> dict:
    """A trailer's poster (out/posters/ID.jpg) and catalogue fields, for its metadata JSON."""
    from .poster import metadata, plan_poster, render_poster

    poster = plan_poster(seed, index, difficulty, plan.weights)
    relative = None
    if poster.has_poster:
        render_poster(poster, plan.title, out / "posters" / f"{plan.clip_id}.jpg")
        relative = f"../posters/{plan.clip_id}.jpg"  # from meta/, where the JSON lives
    fields = metadata(poster, relative)
    fields["poster_generator"] = {"genre": poster.genre, "scene": poster.scene}
    return fields


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _make_clip_args(args: tuple) -> ManifestRow:
    return make_clip(*args)


def generate(cfg: CorpusConfig, progress: bool = True) -> Path:
    """Writes the corpus and returns the manifest path; the manifest is written last."""
    tools.require()
    out = cfg.out.resolve()
    for sub in ("media", "captions", "meta"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    work = [(cfg.task, cfg.seed, i, cfg.difficulty, out) for i in range(cfg.count)]
    bar = tqdm(total=cfg.count, desc=f"synth {cfg.task}", unit="clip", disable=not progress)
    rows: list[ManifestRow] = []
    if cfg.jobs == 1:
        for args in work:
            rows.append(_make_clip_args(args))
            bar.update()
    else:
        with ProcessPoolExecutor(max_workers=cfg.jobs) as pool:
            for row in pool.map(_make_clip_args, work, chunksize=1):
                rows.append(row)
                bar.update()
    bar.close()
    manifest = out / "manifest.csv"
    with open(manifest, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(MANIFEST_COLUMNS)
        for r in sorted(rows, key=lambda r: r.clip_id):
            w.writerow([r.clip_id, r.media_path, r.captions_path, r.metadata_path, r.labels, r.split])
    return manifest


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


__all__ = ["CorpusConfig", "ManifestRow", "generate", "make_clip", "split_of", "clip_id", "default_jobs",
           "MANIFEST_COLUMNS"]
