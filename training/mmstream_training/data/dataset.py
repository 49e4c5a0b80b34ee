"""Loads and validates a feature dataset written by `extract`: dataset.json + windows/*.avro (ModelWindow).

Matrices hold only real steps; batches pad them with zero rows whose mask is False. Anything that does not
match dataset.json (spec ids, column counts, labels, lengths) or is not finite is refused with the window named,
because a silently wrong feature would train a model that fails in serving.

A genre dataset may also carry catalogue inputs (dataset.json "catalogue": the poster's frame vector and the
trailer's metadata vector, one each per window, either absent): they are kept as (N,D_c) arrays, zero where
absent, beside a presence flag per window."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import fastavro
import numpy as np
import torch

from mmstream_training import CATALOGUE, MODALITIES

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
    # Catalogue inputs the windows may carry (dataset.json "catalogue"), a subset of CATALOGUE: their widths and
    # spec ids. Empty: the dataset has none (older extracts, emotion), so no model can be trained on them.
    catalogue_dims: dict[str, int] = field(default_factory=dict)
    catalogue_spec_ids: dict[str, str] = field(default_factory=dict)

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
        catalogue_dims, catalogue_spec_ids = _read_catalogue(meta.get("catalogue"), meta_path)
        return DatasetInfo(
            path=Path(directory),
            task=meta["task"],
            labels=labels,
            spec_ids={k: str(v) for k, v in meta["spec_ids"].items()},
            dims={m: int(meta["dims"][m]) for m in MODALITIES},
            max_lengths={m: int(meta["max_lengths"][m]) for m in MODALITIES},
            hash=str(meta["hash"]),
            windowing=meta.get("windowing"),
            catalogue_dims=catalogue_dims,
            catalogue_spec_ids=catalogue_spec_ids,
        )


def _read_catalogue(meta: dict | None, meta_path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """dataset.json's optional "catalogue": {"dims": {name: D}, "spec_ids": {name: id}} over the same names."""
    if meta is None:
        return {}, {}
    dims, spec_ids = meta.get("dims"), meta.get("spec_ids")
    if not isinstance(dims, dict) or not isinstance(spec_ids, dict):
        raise DatasetError(f"{meta_path}: catalogue must hold dims and spec_ids objects, got {meta}; "
                           "re-run `mmstream extract`")
    unknown = set(dims) - set(CATALOGUE)
    if unknown:
        raise DatasetError(f"{meta_path}: catalogue.dims names {sorted(unknown)}; catalogue inputs are {CATALOGUE}")
    bad = [c for c, d in dims.items() if not isinstance(d, int) or d <= 0]
    if bad:
        raise DatasetError(f"{meta_path}: catalogue.dims must give a positive integer for {bad}")
    if set(spec_ids) != set(dims):
        raise DatasetError(f"{meta_path}: catalogue.spec_ids names {sorted(spec_ids)} but catalogue.dims names "
                           f"{sorted(dims)}; each catalogue input needs both")
    names = [c for c in CATALOGUE if c in dims]  # canonical order, whatever the file's
    return {c: int(dims[c]) for c in names}, {c: str(spec_ids[c]) for c in names}


@dataclass(frozen=True)
class Batch:
    """Padded model inputs. features[m]: (B,T_m,D_m) float32; masks[m]: (B,T_m) bool, True = real step."""

    features: dict[str, torch.Tensor]
    masks: dict[str, torch.Tensor]
    targets: torch.Tensor  # (B,C) float32 multi-hot
    catalogue: dict[str, torch.Tensor] = field(default_factory=dict)  # c: (B,D_c) float32, zero rows where absent
    catalogue_masks: dict[str, torch.Tensor] = field(default_factory=dict)  # c: (B,) bool, True = present

    def to(self, device: torch.device) -> Batch:
        return Batch(
            {m: x.to(device) for m, x in self.features.items()},
            {m: x.to(device) for m, x in self.masks.items()},
            self.targets.to(device),
            {c: x.to(device) for c, x in self.catalogue.items()},
            {c: x.to(device) for c, x in self.catalogue_masks.items()},
        )

    def inputs(self, catalogue: tuple[str, ...] = ()) -> tuple[torch.Tensor, ...]:
        """Positional model inputs in the ONNX order: text, audio, video, text_mask, audio_mask, video_mask, then
        for each catalogue input the model takes (its cfg.catalogue) the vector and its mask."""
        missing = [c for c in catalogue if c not in self.catalogue]
        assert not missing, f"the batch has no catalogue input {missing}; the dataset has {list(self.catalogue)}"
        return (*(self.features[m] for m in MODALITIES), *(self.masks[m] for m in MODALITIES),
                *(t for c in catalogue for t in (self.catalogue[c], self.catalogue_masks[c])))


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
    catalogue: dict[str, np.ndarray] = field(default_factory=dict)  # c: (N,D_c) float32, zero where absent
    catalogue_present: dict[str, np.ndarray] = field(default_factory=dict)  # c: (N,) bool

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
        catalogue = {c: torch.from_numpy(np.ascontiguousarray(x[indices])) for c, x in self.catalogue.items()}
        present = {c: torch.from_numpy(p[indices]) for c, p in self.catalogue_present.items()}
        return Batch(features, masks, torch.from_numpy(self.targets[indices]), catalogue, present)


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
    steps, targets, splits, ids, clips, catalogue, present = cached
    attributes = read_clips_csv(info.path / "clips.csv")
    if name is None:
        named = {a.get("source", "") for a in attributes.values()} - {""}
        name = named.pop() if len(named) == 1 else info.path.name
    info = dataclasses.replace(info, sources=(name,))
    dataset = Dataset(info, steps, targets, splits.astype(object), ids, clips, np.full(len(ids), name, dtype=object),
                      attributes, catalogue, present)
    return dataset.with_splits(dataset.splits)


def _parse_windows(info: DatasetInfo):
    """Reads and checks every window of windows/*.avro: (steps, targets, splits, window ids, clips, catalogue
    vectors, their presence)."""
    files = sorted((info.path / "windows").glob("*.avro"))
    if not files:
        raise DatasetError(f"{info.path / 'windows'} holds no .avro files; re-run `mmstream extract`")
    label_index = {name: i for i, name in enumerate(info.labels)}
    steps: dict[str, list[np.ndarray]] = {m: [] for m in MODALITIES}
    targets, splits, ids, clips = [], [], [], []
    catalogue: dict[str, list[np.ndarray | None]] = {c: [] for c in info.catalogue_dims}
    for path in files:
        with path.open("rb") as f:
            for record in fastavro.reader(f):
                window_id = f"{record['stream_id']}@{record['window_start_ms']}-{record['window_end_ms']}ms"
                where = f"window {window_id} (clip {record['stream_id']!r}) in {path.name}"
                _check_window(record, info, where)
                for m in MODALITIES:
                    steps[m].append(_matrix(record[m], m, info, where))
                vectors = _catalogue(record.get("catalogue"), info, where)  # older schemas lack the field
                for c in info.catalogue_dims:
                    catalogue[c].append(vectors.get(c))
                target = np.zeros(len(info.labels), dtype=np.float32)
                for label in record["labels"]:
                    if label not in label_index:
                        raise DatasetError(f"{where}: label {label!r} is not in dataset.json labels {list(info.labels)}")
                    target[label_index[label]] = 1.0
                targets.append(target)
                splits.append(record["split"])
                ids.append(window_id)
                clips.append(record["stream_id"])
    present = {c: np.array([v is not None for v in vs], dtype=bool) for c, vs in catalogue.items()}
    dense = {c: np.stack([np.zeros(info.catalogue_dims[c], np.float32) if v is None else v for v in vs])
             for c, vs in catalogue.items()}
    return steps, np.stack(targets), np.array(splits), ids, np.array(clips), dense, present


# Parsing Avro into arrays takes minutes for a corpus of 100k+ windows; the parsed, checked arrays are kept
# beside the dataset, keyed by its hash (a re-extract changes the hash and so bypasses the old cache).
CACHE_VERSION = 2  # 2: catalogue vectors


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
    if any(f"catalogue_{c}" not in meta.files for c in info.catalogue_dims):
        return None  # dataset.json gained a catalogue input after the cache was written: parse again
    catalogue = {c: meta[f"catalogue_{c}"] for c in info.catalogue_dims}
    present = {c: meta[f"present_{c}"] for c in info.catalogue_dims}
    return (steps, meta["targets"], meta["splits"].astype(str), meta["ids"].astype(str).tolist(),
            meta["clips"].astype(str), catalogue, present)


def _write_cache(info: DatasetInfo, steps, targets, splits, ids, clips, catalogue, present) -> None:
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
        np.savez(partial / "windows.npz", targets=targets, splits=splits, ids=np.array(ids), clips=clips,
                 **{f"catalogue_{c}": x for c, x in catalogue.items()},
                 **{f"present_{c}": p for c, p in present.items()})
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
    with the same feature and window settings (a modality none of a source's windows has is masked there).
    Catalogue inputs: the union of the sources' catalogue inputs, each with the one width and spec id every source
    that has it agrees on (else refused); a source without one (an older extract) counts as having it absent in
    every window, as a trailer without a poster has."""
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
    catalogue_dims, catalogue_spec_ids = _merged_catalogue(parts)
    catalogue = {c: np.concatenate([p.catalogue[c] if c in p.catalogue else np.zeros((len(p), dim), np.float32)
                                    for p in parts]) for c, dim in catalogue_dims.items()}
    present = {c: np.concatenate([p.catalogue_present.get(c, np.zeros(len(p), bool)) for p in parts])
               for c in catalogue_dims}
    combined_hash = hashlib.sha256("".join(p.info.hash for p in parts).encode()).hexdigest()
    info = dataclasses.replace(first, hash=combined_hash, sources=tuple(names), catalogue_dims=catalogue_dims,
                               catalogue_spec_ids=catalogue_spec_ids)
    return Dataset(
        info, steps, np.concatenate([p.targets for p in parts]), np.concatenate([p.splits for p in parts]),
        [w for p in parts for w in p.window_ids], np.concatenate([p.clips for p in parts]),
        np.concatenate([p.sources for p in parts]), {k: v for p in parts for k, v in p.attributes.items()},
        catalogue, present)


def _merged_catalogue(parts: list[Dataset]) -> tuple[dict[str, int], dict[str, str]]:
    """The union of the parts' catalogue inputs; two parts giving one input other widths or spec ids are refused,
    because their vectors would mean different things to one model."""
    dims: dict[str, int] = {}
    spec_ids: dict[str, str] = {}
    owner: dict[str, Path] = {}
    for p in parts:
        for c, dim in p.info.catalogue_dims.items():
            spec = p.info.catalogue_spec_ids[c]
            if c in dims and (dims[c], spec_ids[c]) != (dim, spec):
                raise DatasetError(
                    f"{p.info.path} and {owner[c]} differ in catalogue input {c} (dims {dim} vs {dims[c]}, spec id "
                    f"{spec!r} vs {spec_ids[c]!r}): extract every dataset with the same settings to train on them "
                    "together")
            dims[c], spec_ids[c], owner[c] = dim, spec, p.info.path
    names = [c for c in CATALOGUE if c in dims]
    return {c: dims[c] for c in names}, {c: spec_ids[c] for c in names}


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


def _catalogue(entry: dict | None, info: DatasetInfo, where: str) -> dict[str, np.ndarray]:
    """A window's catalogue vectors that are present ({} when the window has no catalogue), checked like the
    modalities: each present vector needs its spec id, and every spec id there must match dataset.json's."""
    if entry is None:
        return {}
    spec_ids = entry.get("spec_ids") or {}
    vectors = {c: entry[c] for c in CATALOGUE if entry.get(c) is not None}
    unknown = sorted((set(vectors) | set(spec_ids)) - set(info.catalogue_dims))
    if unknown:
        raise DatasetError(f"{where}: carries catalogue input(s) {unknown} but dataset.json's catalogue has "
                           f"{sorted(info.catalogue_dims) or 'none'}; re-run `mmstream extract`")
    for c, expected in info.catalogue_spec_ids.items():
        got = spec_ids.get(c)
        if (c in vectors or got is not None) and got != expected:
            raise DatasetError(f"{where}: catalogue {c} spec id {got!r} differs from dataset.json's {expected!r}; "
                               "the windows were extracted with other feature settings: re-run `mmstream extract`")
    out = {}
    for c, values in vectors.items():
        dim = info.catalogue_dims[c]
        if len(values) != dim:
            raise DatasetError(f"{where}: catalogue {c} vector has {len(values)} values but dataset.json "
                               f"catalogue.dims.{c} = {dim}")
        x = np.asarray(values, dtype=np.float32)
        if not np.isfinite(x).all():
            col = int(np.flatnonzero(~np.isfinite(x))[0])
            raise DatasetError(f"{where}: catalogue {c} value at column {col} is {x[col]} (NaN/Inf are refused)")
        out[c] = x
    return out


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


def catalogue_stats(dataset: Dataset, indices: np.ndarray, names: tuple[str, ...],
                    floor: float = STD_FLOOR) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """As feature_stats, for the catalogue inputs `names`: per-column mean and std over the windows among
    `indices` that have the input (an absent row's zeros are no data); identity when none has it."""
    stats = {}
    for c in names:
        rows = dataset.catalogue[c][indices][dataset.catalogue_present[c][indices]].astype(np.float64)  # (N_present,D)
        if len(rows) == 0:
            dim = dataset.info.catalogue_dims[c]
            stats[c] = (torch.zeros(dim), torch.ones(dim))
            continue
        mean, std = rows.mean(axis=0), rows.std(axis=0)
        std = np.where(std < floor, 1.0, std)
        stats[c] = (torch.tensor(mean, dtype=torch.float32), torch.tensor(std, dtype=torch.float32))
    return stats
