"""Loads and validates a feature dataset written by `extract`: dataset.json + windows/*.avro (ModelWindow).

Matrices hold only real steps; batches pad them with zero rows whose mask is False. Anything that does not
match dataset.json (spec ids, column counts, labels, lengths) or is not finite is refused with the window named,
because a silently wrong feature would train a model that fails in serving."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import fastavro
import numpy as np
import torch

from mmstream_training import MODALITIES

SPLITS = ("train", "val", "test")
TASKS = ("emotion", "genre")


class DatasetError(ValueError):
    """A dataset that cannot be trained on; the message names the file or window and what to do."""


@dataclass(frozen=True)
class DatasetInfo:
    """dataset.json: what the windows must look like."""

    path: Path
    task: str
    labels: tuple[str, ...]
    spec_ids: dict[str, str]  # text, audio, video, window
    dims: dict[str, int]  # feature columns per modality
    max_lengths: dict[str, int]  # steps per modality after the assembler's subsampling
    hash: str
    sources: tuple[str, ...] = ()  # names of the datasets it was combined from (load_datasets); one otherwise
    # How clips were cut into windows, e.g. {"kind": "hopping", "size_ms": 4000, "advance_ms": 1000}; a model
    # records it and the streams app refuses to serve it on other windows. None: the dataset does not say.
    windowing: dict | None = None

    @staticmethod
    def read(directory: Path) -> DatasetInfo:
        meta_path = Path(directory) / "dataset.json"
        if not meta_path.is_file():
            raise DatasetError(f"{meta_path} not found: point --data at a directory written by `mmstream extract`")
        try:
            meta = json.loads(meta_path.read_text())
        except json.JSONDecodeError as e:
            raise DatasetError(f"{meta_path} is not valid JSON ({e}); re-run `mmstream extract`") from e
        missing = [k for k in ("task", "labels", "spec_ids", "dims", "max_lengths", "hash") if k not in meta]
        if missing:
            raise DatasetError(f"{meta_path} lacks {missing}; re-run `mmstream extract`")
        if meta["task"] not in TASKS:
            raise DatasetError(f"{meta_path}: task {meta['task']!r} is not one of {TASKS}")
        for key in ("dims", "max_lengths"):
            bad = [m for m in MODALITIES if not isinstance(meta[key].get(m), int) or meta[key][m] <= 0]
            if bad:
                raise DatasetError(f"{meta_path}: {key} must give a positive integer for {bad}")
        spec_missing = [k for k in (*MODALITIES, "window") if k not in meta["spec_ids"]]
        if spec_missing:
            raise DatasetError(f"{meta_path}: spec_ids lacks {spec_missing}")
        labels = tuple(meta["labels"])
        if not labels or len(set(labels)) != len(labels):
            raise DatasetError(f"{meta_path}: labels must be a non-empty list of distinct names, got {labels}")
        return DatasetInfo(
            path=Path(directory),
            task=meta["task"],
            labels=labels,
            spec_ids={k: str(v) for k, v in meta["spec_ids"].items()},
            dims={m: int(meta["dims"][m]) for m in MODALITIES},
            max_lengths={m: int(meta["max_lengths"][m]) for m in MODALITIES},
            hash=str(meta["hash"]),
            windowing=meta.get("windowing"),
        )


@dataclass(frozen=True)
class Batch:
    """Padded model inputs. features[m]: (B,T_m,D_m) float32; masks[m]: (B,T_m) bool, True = real step."""

    features: dict[str, torch.Tensor]
    masks: dict[str, torch.Tensor]
    targets: torch.Tensor  # (B,C) float32 multi-hot

    def to(self, device: torch.device) -> Batch:
        return Batch(
            {m: x.to(device) for m, x in self.features.items()},
            {m: x.to(device) for m, x in self.masks.items()},
            self.targets.to(device),
        )

    def inputs(self) -> tuple[torch.Tensor, ...]:
        """Positional model inputs in the ONNX order: text, audio, video, text_mask, audio_mask, video_mask."""
        return (*(self.features[m] for m in MODALITIES), *(self.masks[m] for m in MODALITIES))


@dataclass(frozen=True)
class Dataset:
    """All windows in memory, unpadded: steps[m][i] is a (rows, D_m) float32 array (rows may be 0).
    clips[i] is window i's clip (stream id), sources[i] the dataset it came from; attributes[clip] holds the
    clip's row of clips.csv (the manifest's extra columns: source, group, source_label, ...)."""

    info: DatasetInfo
    steps: dict[str, list[np.ndarray]]
    targets: np.ndarray  # (N,C) float32
    splits: np.ndarray  # (N,) str
    window_ids: list[str]  # "clip@start-end" for messages and reports
    clips: np.ndarray  # (N,) str
    sources: np.ndarray  # (N,) str
    attributes: dict[str, dict[str, str]]

    def __len__(self) -> int:
        return len(self.window_ids)

    def indices(self, split: str, source: str | None = None) -> np.ndarray:
        chosen = self.splits == split
        if source is not None:
            chosen &= self.sources == source
        return np.flatnonzero(chosen)

    def source_names(self) -> list[str]:
        """Sources in the order they were loaded."""
        return list(dict.fromkeys(self.sources.tolist()))

    def attribute(self, clip: str, column: str, default: str = "") -> str:
        return self.attributes.get(clip, {}).get(column, default)

    def content(self, indices: np.ndarray) -> np.ndarray:
        """Real steps of all modalities in each of these windows: how much of its clip a window holds."""
        return np.array([sum(self.steps[m][i].shape[0] for m in MODALITIES) for i in indices])

    def modality_sets(self, indices: np.ndarray) -> np.ndarray:
        """Per window, the modalities it holds steps of, in the order text, audio, video, joined by '+'."""
        return np.array(["+".join(m for m in MODALITIES if self.steps[m][i].shape[0] > 0) for i in indices])

    def with_splits(self, splits: np.ndarray) -> Dataset:
        """The same windows under other split assignments (e.g. one speaker held out). Augmented copies (clips.csv
        `augmented` set) are training data only: outside train they are left out (split "excluded")."""
        assert splits.shape == self.splits.shape, "one split per window"
        augmented = np.array([bool(self.attribute(c, "augmented")) for c in self.clips], dtype=bool)
        splits = np.where(augmented & (splits != "train"), "excluded", splits)
        return dataclasses.replace(self, splits=splits)

    def batch(self, indices: np.ndarray, pad_to_max: bool = True) -> Batch:
        """Pads to max_lengths (the serving contract) or, for speed, to the longest window in the batch;
        both give the same outputs because padding is masked and sits after the real steps."""
        features, masks = {}, {}
        for m in MODALITIES:
            rows = [self.steps[m][i] for i in indices]
            t = self.info.max_lengths[m] if pad_to_max else max(1, max(r.shape[0] for r in rows))
            x = np.zeros((len(rows), t, self.info.dims[m]), dtype=np.float32)
            mask = np.zeros((len(rows), t), dtype=bool)
            for b, r in enumerate(rows):
                x[b, : r.shape[0]] = r
                mask[b, : r.shape[0]] = True
            features[m], masks[m] = torch.from_numpy(x), torch.from_numpy(mask)
        return Batch(features, masks, torch.from_numpy(self.targets[indices]))


def load_dataset(directory: Path | str, task: str | None = None, name: str | None = None) -> Dataset:
    """Reads and validates every window; `task`, when given, must match dataset.json. The source name is
    `name`, else clips.csv's `source` column, else the folder's name."""
    info = DatasetInfo.read(Path(directory))
    if task is not None and task != info.task:
        raise DatasetError(f"{info.path} holds a dataset for task {info.task}, but --task {task} was asked for: "
                           f"pass --task {info.task}, or a {task} dataset")
    cached = _read_cache(info)
    if cached is None:
        cached = _parse_windows(info)
        _write_cache(info, *cached)
    steps, targets, splits, ids, clips = cached
    attributes = read_clips_csv(info.path / "clips.csv")
    if name is None:
        named = {a.get("source", "") for a in attributes.values()} - {""}
        name = named.pop() if len(named) == 1 else info.path.name
    info = dataclasses.replace(info, sources=(name,))
    dataset = Dataset(info, steps, targets, splits.astype(object), ids, clips, np.full(len(ids), name, dtype=object),
                      attributes)
    return dataset.with_splits(dataset.splits)


def _parse_windows(info: DatasetInfo):
    """Reads and checks every window of windows/*.avro: (steps, targets, splits, window ids, clips)."""
    files = sorted((info.path / "windows").glob("*.avro"))
    if not files:
        raise DatasetError(f"{info.path / 'windows'} holds no .avro files; re-run `mmstream extract`")
    label_index = {name: i for i, name in enumerate(info.labels)}
    steps: dict[str, list[np.ndarray]] = {m: [] for m in MODALITIES}
    targets, splits, ids, clips = [], [], [], []
    for path in files:
        with path.open("rb") as f:
            for record in fastavro.reader(f):
                window_id = f"{record['stream_id']}@{record['window_start_ms']}-{record['window_end_ms']}ms"
                where = f"window {window_id} (clip {record['stream_id']!r}) in {path.name}"
                _check_window(record, info, where)
                for m in MODALITIES:
                    steps[m].append(_matrix(record[m], m, info, where))
                target = np.zeros(len(info.labels), dtype=np.float32)
                for label in record["labels"]:
                    if label not in label_index:
                        raise DatasetError(f"{where}: label {label!r} is not in dataset.json labels {list(info.labels)}")
                    target[label_index[label]] = 1.0
                targets.append(target)
                splits.append(record["split"])
                ids.append(window_id)
                clips.append(record["stream_id"])
    return steps, np.stack(targets), np.array(splits), ids, np.array(clips)


# Parsing Avro into arrays takes minutes for a corpus of 100k+ windows; the parsed, checked arrays are kept
# beside the dataset, keyed by its hash (a re-extract changes the hash and so bypasses the old cache).
CACHE_VERSION = 1


def _cache_dir(info: DatasetInfo) -> Path:
    return info.path / ".cache" / f"v{CACHE_VERSION}-{info.hash[:24]}"


def _read_cache(info: DatasetInfo):
    folder = _cache_dir(info)
    if not (folder / "complete").is_file():
        return None
    steps = {}
    for m in MODALITIES:
        rows = np.load(folder / f"{m}.rows.npy", mmap_mode="r")
        offsets = np.load(folder / f"{m}.offsets.npy")
        steps[m] = [rows[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]
    meta = np.load(folder / "windows.npz")
    return steps, meta["targets"], meta["splits"].astype(str), meta["ids"].astype(str).tolist(), meta["clips"].astype(str)


def _write_cache(info: DatasetInfo, steps, targets, splits, ids, clips) -> None:
    folder = _cache_dir(info)
    partial = folder.with_name(f".{folder.name}.{os.getpid()}.partial")
    try:
        partial.mkdir(parents=True, exist_ok=True)
        for m in MODALITIES:
            lengths = [x.shape[0] for x in steps[m]]
            offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
            rows = np.concatenate(steps[m]) if offsets[-1] else np.zeros((0, info.dims[m]), np.float32)
            np.save(partial / f"{m}.rows.npy", rows.astype(np.float32, copy=False))
            np.save(partial / f"{m}.offsets.npy", offsets)
        np.savez(partial / "windows.npz", targets=targets, splits=splits, ids=np.array(ids), clips=clips)
        (partial / "complete").write_text("")
        for old in folder.parent.iterdir():  # caches of earlier extractions
            if old.name.startswith("v") and old != folder:
                shutil.rmtree(old, ignore_errors=True)
        partial.rename(folder)  # atomic: a concurrent loader sees the whole cache or none
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)  # read-only folder, or another process was first


def read_clips_csv(path: Path) -> dict[str, dict[str, str]]:
    """clips.csv (clip_id + the manifest's extra columns) by clip id; empty when the file is absent."""
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as f:
        return {row["clip_id"]: {k: v for k, v in row.items() if k != "clip_id"} for row in csv.DictReader(f)}


def load_datasets(specs, task: str | None = None) -> Dataset:
    """Several datasets as one, each a source: `specs` are folders or NAME=FOLDER. They must have been extracted
    with the same feature and window settings (a modality none of a source's windows has is masked there)."""
    parts = []
    for spec in specs:
        name, _, folder = str(spec).rpartition("=") if "=" in str(spec) else (None, "", str(spec))
        parts.append(load_dataset(folder, task, name or None))
    if len(parts) == 1:
        return parts[0]
    first = parts[0].info
    names = [p.info.sources[0] for p in parts]
    if len(set(names)) != len(names):
        raise DatasetError(f"two datasets share the source name among {names}: name them with --data NAME=FOLDER")
    for p in parts[1:]:
        for key in ("task", "labels", "spec_ids", "dims", "max_lengths", "windowing"):
            if getattr(p.info, key) != getattr(first, key):
                raise DatasetError(
                    f"{p.info.path} and {first.path} differ in {key} ({getattr(p.info, key)} vs {getattr(first, key)}): "
                    "extract every dataset with the same settings (the defaults) to train on them together")
    seen: dict[str, str] = {}
    for p in parts:
        for clip in dict.fromkeys(p.clips.tolist()):
            other = seen.setdefault(clip, p.info.sources[0])
            if other != p.info.sources[0]:
                raise DatasetError(f"clip id {clip!r} is in both {other} and {p.info.sources[0]}: clip ids must be "
                                   "unique across the datasets trained on together")
    steps = {m: [x for p in parts for x in p.steps[m]] for m in MODALITIES}
    combined_hash = hashlib.sha256("".join(p.info.hash for p in parts).encode()).hexdigest()
    info = dataclasses.replace(first, hash=combined_hash, sources=tuple(names))
    return Dataset(
        info, steps, np.concatenate([p.targets for p in parts]), np.concatenate([p.splits for p in parts]),
        [w for p in parts for w in p.window_ids], np.concatenate([p.clips for p in parts]),
        np.concatenate([p.sources for p in parts]), {k: v for p in parts for k, v in p.attributes.items()})


def check_splits(dataset: Dataset, need_test: bool = False) -> None:
    """Training needs train and val windows; test is evaluated where a source has it."""
    for split in ("train", "val", "test") if need_test else ("train", "val"):
        if len(dataset.indices(split)) == 0:
            raise DatasetError(f"{dataset.info.path}: no window is in the {split!r} split; "
                               f"training needs train and val windows")


def _check_window(record: dict, info: DatasetInfo, where: str) -> None:
    # The window assembler stamps a modality's spec id only when the window holds steps of it, so an absent
    # modality (0 rows) may lack its key; every key that is there must match, and present steps need theirs.
    absent = {m for m in MODALITIES if record[m]["rows"] == 0 and m not in record["spec_ids"]}
    expected = {k: v for k, v in info.spec_ids.items() if k not in absent}
    if record["spec_ids"] != expected:
        diff = {
            k: (record["spec_ids"].get(k), expected.get(k))
            for k in set(record["spec_ids"]) | set(expected)
            if record["spec_ids"].get(k) != expected.get(k)
        }
        raise DatasetError(
            f"{where}: spec ids differ from dataset.json as (window, dataset) {diff}; "
            "the windows were extracted with other feature settings: re-run `mmstream extract`"
        )
    if record["task"].lower() != info.task:
        raise DatasetError(f"{where}: task {record['task']} differs from dataset.json task {info.task}")
    if record["split"] not in SPLITS:
        raise DatasetError(f"{where}: split {record['split']!r} is not one of {SPLITS}")


def _matrix(matrix: dict, modality: str, info: DatasetInfo, where: str) -> np.ndarray:
    rows, cols, values = matrix["rows"], matrix["cols"], matrix["values"]
    dim, max_len = info.dims[modality], info.max_lengths[modality]
    if rows < 0 or (rows > 0 and cols != dim):
        raise DatasetError(f"{where}: {modality} matrix is {rows}x{cols} but dataset.json dims.{modality} = {dim}")
    if rows > max_len:
        raise DatasetError(
            f"{where}: {modality} has {rows} steps, more than max_lengths.{modality} = {max_len} "
            "(the window assembler should have subsampled it)"
        )
    if len(values) != rows * cols:
        raise DatasetError(f"{where}: {modality} matrix {rows}x{cols} carries {len(values)} values")
    x = np.asarray(values, dtype=np.float32).reshape(rows, dim)
    if not np.isfinite(x).all():
        r, c = np.argwhere(~np.isfinite(x))[0]
        raise DatasetError(f"{where}: {modality} value at step {r}, column {c} is {x[r, c]} (NaN/Inf are refused)")
    return x


STD_FLOOR = 1e-3


def feature_stats(dataset: Dataset, indices: np.ndarray,
                  floor: float = STD_FLOOR) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """Per-feature mean and std of each modality over the real steps of the given windows (pass the train split:
    validation and test must not leak into the model). Matrices hold only real steps, so padding never counts.
    A feature with std below `floor` is constant on these windows and carries nothing to learn from: it gets
    std 1 (centred only) rather than 1/floor, which would blow any other value it takes in serving up a
    thousandfold. A modality with no real step at all keeps the identity (mean 0, std 1)."""
    stats = {}
    for m in MODALITIES:
        dim = dataset.info.dims[m]
        rows = [dataset.steps[m][i] for i in indices if dataset.steps[m][i].shape[0] > 0]
        count = sum(r.shape[0] for r in rows)
        if count == 0:
            stats[m] = (torch.zeros(dim), torch.ones(dim))
            continue
        # Two passes in float64, one window at a time: exact enough for -100 dBFS energies, no big concatenation.
        mean = sum(r.sum(axis=0, dtype=np.float64) for r in rows) / count
        var = sum(((r - mean) ** 2).sum(axis=0) for r in rows) / count
        std = np.sqrt(var)
        std = np.where(std < floor, 1.0, std)
        stats[m] = (torch.tensor(mean, dtype=torch.float32), torch.tensor(std, dtype=torch.float32))
    return stats
