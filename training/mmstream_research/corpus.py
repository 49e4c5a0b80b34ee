"""What every research reader produces: items (an utterance, a movie) with their feature sequences, labels and
split, turned into the in-memory Dataset that training uses."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mmstream_training import MODALITIES
from mmstream_training.data import Dataset, DatasetError, DatasetInfo

SPLITS = ("train", "val", "test")


class FormatError(DatasetError):
    """A research file that cannot be read as its format says; the message names the file and what is wrong."""


@dataclass
class Item:
    """One labelled example: steps[m] is a (rows, D_m) float array of real steps (0 rows: modality absent)."""

    item_id: str
    group: str  # the video or movie it belongs to: splits never separate a group's items
    split: str  # train, val, test
    steps: dict[str, np.ndarray]
    target: np.ndarray  # (C,) float32 multi-hot


@dataclass
class Corpus:
    """Items of one dataset plus what a reader noticed on the way (shown with the tables)."""

    name: str
    task: str
    labels: tuple[str, ...]
    dims: dict[str, int]
    spec_ids: dict[str, str]  # what each modality's columns are, e.g. "mosei-covarep74/word-aligned"
    items: list[Item]
    source_files: list[Path]  # hashed (name, size, mtime) to tell one input from another
    notes: list[str] = field(default_factory=list)

    def to_dataset(self) -> Dataset:
        if not self.items:
            raise DatasetError(f"{self.name}: no labelled item was read")
        for split in ("train", "val"):
            if not any(i.split == split for i in self.items):
                raise DatasetError(f"{self.name}: no item is in the {split} split; training needs train and val items")
        max_lengths = {m: max(1, max(i.steps[m].shape[0] for i in self.items)) for m in MODALITIES}
        info = DatasetInfo(path=Path(self.name), task=self.task, labels=self.labels,
                           spec_ids={**self.spec_ids, "window": f"{self.name}/item"}, dims=dict(self.dims),
                           max_lengths=max_lengths, hash=files_hash(self.source_files), sources=(self.name,))
        return Dataset(
            info, {m: [i.steps[m] for i in self.items] for m in MODALITIES},
            np.stack([i.target for i in self.items]).astype(np.float32),
            np.array([i.split for i in self.items], dtype=object), [i.item_id for i in self.items],
            np.array([i.item_id for i in self.items]), np.full(len(self.items), self.name, dtype=object),
            {i.item_id: {"group": i.group} for i in self.items})

    def split_sizes(self) -> dict[str, int]:
        return {s: sum(i.split == s for i in self.items) for s in SPLITS}


def files_hash(paths: list[Path]) -> str:
    """Identifies the input by its files' names, sizes and modification times (hashing tens of GB of features
    would cost minutes and says no more)."""
    digest = hashlib.sha256()
    for p in sorted(paths):
        st = p.stat()
        digest.update(f"{p.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class NonFinite:
    """Counts and zeroes NaN and +-Inf values, per modality: CMU-MOSEI's COVAREP features hold -inf where a
    frame had no voice, and every MOSEI pipeline sets those to 0; the count is reported, not hidden."""

    def __init__(self):
        self.counts: dict[str, int] = {}

    def clean(self, modality: str, x: np.ndarray) -> np.ndarray:
        bad = ~np.isfinite(x)
        if bad.any():
            self.counts[modality] = self.counts.get(modality, 0) + int(bad.sum())
            x = np.where(bad, 0.0, x).astype(x.dtype)
        return x

    def notes(self) -> list[str]:
        return [f"{n:,} {m} values were NaN or ±inf and were set to 0" for m, n in self.counts.items()]


WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


class WordVectors:
    """Plot text as a sequence of word vectors: GloVe-format vectors when a file is given, else each word's own
    fixed pseudo-random unit vector (a hash of the word seeds it), which the model's learned projection turns into
    a trained word embedding: the report used BERT, which cannot be downloaded here."""

    def __init__(self, dim: int = 300, glove: Path | None = None, vocabulary: set[str] | None = None):
        self.dim = dim
        self.table: dict[str, np.ndarray] = {}
        self.kind = f"hashed{dim}"
        if glove is not None:
            self.table, self.dim = read_glove(glove, vocabulary)
            self.kind = f"glove{self.dim}"
        self._hashed: dict[str, np.ndarray] = {}

    @staticmethod
    def words(text: str) -> list[str]:
        return WORD.findall(text.lower())

    def encode(self, text: str, max_words: int) -> np.ndarray:
        """(words, dim) float32 for the first max_words words that have a vector."""
        rows = [v for v in (self.vector(w) for w in self.words(text)) if v is not None][:max_words]
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, self.dim), np.float32)

    def vector(self, word: str) -> np.ndarray | None:
        if self.table:
            return self.table.get(word)
        v = self._hashed.get(word)
        if v is None:
            seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32) / np.sqrt(self.dim)
            self._hashed[word] = v
        return v


def read_glove(path: Path, vocabulary: set[str] | None) -> tuple[dict[str, np.ndarray], int]:
    """GloVe's text format (word, then its values, space-separated), keeping only the words asked for."""
    table, dim = {}, None
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                word, _, rest = line.rstrip("\n").partition(" ")
                if vocabulary is not None and word not in vocabulary:
                    continue
                values = np.array(rest.split(" "), dtype=np.float32)
                if dim is None:
                    dim = len(values)
                if len(values) != dim:
                    raise FormatError(f"{path}, line {n}: {len(values)} values where the first vector had {dim}: "
                                      "not a GloVe text file")
                table[word] = values
    except (OSError, ValueError) as e:
        raise FormatError(f"{path}: cannot be read as GloVe vectors ({e})") from e
    if dim is None:
        raise FormatError(f"{path}: holds no vector for any word of the plots: is it a GloVe text file?")
    return table, dim


def split_by_hash(group: str, shares=(0.7, 0.1)) -> str:
    """A stable split from the group's id alone (train/val/test about 70/10/20), for data without folds."""
    u = int.from_bytes(hashlib.sha256(group.encode()).digest()[:8], "little") / 2 ** 64
    return "train" if u < shares[0] else "val" if u < shares[0] + shares[1] else "test"
