"""CMU-MOSEI in the two forms researchers have it.

1. The CMU-MultimodalSDK's computational sequences (.csd): an HDF5 file with one root group (the sequence's
   name) holding `data/<video id>/features` (N, D) and `data/<video id>/intervals` (N, 2, seconds) plus
   `metadata/<key>` (JSON strings). Text (GloVe word vectors, or BERT), audio (COVAREP), video (FACET 4.2 or
   OpenFace 2) and the labels (`CMU_MOSEI_Labels.csd`: per utterance [sentiment, happy, sad, anger, surprise,
   disgust, fear]) each come in one. Utterances are the label intervals; within one, each word is a step and
   audio and video are averaged over the word's interval (the SDK's "align to words"), first `seq_len` words.
2. The word-aligned files MulT and Dai et al. 2020 use: `{text_SPLIT_emb,audio_SPLIT,video_SPLIT,ey_SPLIT}.h5`
   (dataset `d1`; (N, 20, 300|74|35) and (N, 6) intensities in the order anger, disgust, fear, happy, sad,
   surprise) for SPLIT in train, valid, test; or one pickle with the same arrays under
   {train,valid,test}/{text,audio,vision,labels}.

Labels: an emotion is present when its intensity is > 0 (the SDK's binarisation)."""

from __future__ import annotations

import ast
import json
import pickle
from pathlib import Path

import numpy as np

from mmstream_research.corpus import Corpus, FormatError, Item, NonFinite, split_by_hash
from mmstream_training import MODALITIES

LABELS = ("anger", "disgust", "fear", "happy", "sad", "surprise")
SDK_LABEL_ORDER = ("sentiment", "happy", "sad", "anger", "surprise", "disgust", "fear")
SDK_COLUMNS = [SDK_LABEL_ORDER.index(name) for name in LABELS]
SEQ_LEN = 20  # the report's (and Dai et al.'s) sequence length
ALIGNED_FILES = {"text": "text_{}_emb.h5", "audio": "audio_{}.h5", "video": "video_{}.h5", "labels": "ey_{}.h5"}
ALIGNED_SPLITS = {"train": "train", "valid": "val", "test": "test"}
# Which .csd file holds which modality, by the names the SDK downloads them under.
CSD_PATTERNS = {
    "text": ("*WordVectors*.csd", "*Glove*.csd", "*glove*.csd", "*BERT*.csd", "*bert*.csd"),
    "audio": ("*COVAREP*.csd", "*covarep*.csd"),
    "video": ("*Facet*.csd", "*FACET*.csd", "*OpenFace*.csd", "*openface*.csd"),
    "labels": ("*Labels*.csd", "*labels*.csd"),
}


# ---- computational sequences -------------------------------------------------------------------------------------

class ComputationalSequence:
    """One .csd file, read lazily: `videos` lists its entries, `entry(v)` gives (features (N,D), intervals (N,2))."""

    def __init__(self, path: Path):
        import h5py

        self.path = Path(path)
        try:
            self._file = h5py.File(self.path, "r")
        except OSError as e:
            raise FormatError(f"{self.path} is not a readable HDF5 file ({e}): a .csd computational sequence is HDF5; "
                              "is the download complete?") from e
        roots = list(self._file.keys())
        if len(roots) != 1:
            raise FormatError(f"{self.path} has {len(roots)} top-level groups {roots[:5]}; a computational sequence "
                              "has exactly one, named after the sequence")
        self.name = roots[0]
        root = self._file[self.name]
        if "data" not in root:
            raise FormatError(f"{self.path}: group {self.name!r} has no 'data' group: not a CMU-MultimodalSDK "
                              "computational sequence")
        self._data = root["data"]
        self.videos = list(self._data.keys())
        self.metadata = read_metadata(root["metadata"]) if "metadata" in root else {}
        self.dim = None
        if self.videos:
            self.dim = self._shape(self.videos[0])[1]

    def _shape(self, video: str) -> tuple[int, int]:
        entry = self._data[video]
        if "features" not in entry or "intervals" not in entry:
            raise FormatError(f"{self.path}: entry {video!r} lacks 'features' or 'intervals'")
        shape = entry["features"].shape
        if len(shape) != 2:
            raise FormatError(f"{self.path}: entry {video!r} has features of shape {shape}; expected (steps, columns)")
        return shape

    def entry(self, video: str) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = self._shape(video)
        if cols != self.dim:
            raise FormatError(f"{self.path}: entry {video!r} has {cols} feature columns, entry "
                              f"{self.videos[0]!r} has {self.dim}")
        try:
            features = np.asarray(self._data[video]["features"][()], dtype=np.float32)
            intervals = np.asarray(self._data[video]["intervals"][()], dtype=np.float64)
        except OSError as e:  # a truncated file fails here, not at open
            raise FormatError(f"{self.path}: entry {video!r} cannot be read ({e}); is the file complete?") from e
        if intervals.shape != (rows, 2):
            raise FormatError(f"{self.path}: entry {video!r} has {rows} feature rows but intervals of shape "
                              f"{intervals.shape}; expected ({rows}, 2)")
        return features, intervals

    def close(self) -> None:
        self._file.close()


def read_metadata(group) -> dict:
    """The SDK stores each metadata value as a one-element string dataset holding JSON."""
    result = {}
    for key in group.keys():
        raw = group[key][0]
        raw = raw.decode() if isinstance(raw, bytes) else str(raw)
        try:
            result[key] = json.loads(raw)
        except json.JSONDecodeError:
            result[key] = raw
    return result


def find_csd(folder: Path, role: str, explicit: Path | None) -> Path:
    if explicit is not None:
        if not explicit.is_file():
            raise FormatError(f"{explicit} not found (given for the {role} sequence)")
        return explicit
    found = sorted({p for pattern in CSD_PATTERNS[role] for p in folder.glob(pattern)})
    if len(found) != 1:
        what = "no file" if not found else f"{len(found)} files ({', '.join(p.name for p in found)})"
        raise FormatError(f"{folder}: {what} for the {role} sequence matches {', '.join(CSD_PATTERNS[role])}; "
                          f"name one with --{role} FILE")
    return found[0]


def read_folds(path: Path | None, folder: Path) -> dict[str, str] | None:
    """Video id -> split from the SDK's standard folds: its `cmu_mosei_std_folds.py` (parsed, never run) or a JSON
    {"train": [...], "valid": [...], "test": [...]}; looked for in `folder` when no path is given. None: no folds."""
    if path is None:
        candidates = [folder / "cmu_mosei_std_folds.py", folder / "folds.json"]
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            return None
    if not path.is_file():
        raise FormatError(f"{path} not found (given with --folds)")
    names = {"standard_train_fold": "train", "standard_valid_fold": "val", "standard_test_fold": "test",
             "train": "train", "valid": "val", "val": "val", "test": "test"}
    try:
        if path.suffix == ".py":
            lists = {t.id: ast.literal_eval(node.value) for node in ast.parse(path.read_text()).body
                     if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)}
        else:
            lists = json.loads(path.read_text())
    except (SyntaxError, ValueError) as e:
        raise FormatError(f"{path}: cannot be read as folds ({e})") from e
    folds = {str(v): names[k] for k, ids in lists.items() if k in names for v in ids}
    if not folds:
        raise FormatError(f"{path}: has none of standard_train_fold, standard_valid_fold, standard_test_fold "
                          "(or train, valid, test)")
    return folds


def load_sdk(folder: Path, seq_len: int = SEQ_LEN, folds_file: Path | None = None,
             files: dict[str, Path | None] | None = None) -> Corpus:
    folder = Path(folder)
    files = files or {}
    paths = {role: find_csd(folder, role, files.get(role)) for role in ("text", "audio", "video", "labels")}
    seqs = {role: ComputationalSequence(p) for role, p in paths.items()}
    try:
        labels = seqs["labels"]
        if labels.dim != len(SDK_LABEL_ORDER):
            raise FormatError(f"{labels.path}: labels have {labels.dim} columns; CMU_MOSEI_Labels.csd has 7 "
                              f"({', '.join(SDK_LABEL_ORDER)})")
        folds = read_folds(folds_file, folder)
        cleaner, items, unfolded = NonFinite(), [], 0
        for video in labels.videos:
            split = folds.get(video) if folds is not None else split_by_hash(video)
            if split is None:
                unfolded += 1
                continue
            scores, segments = labels.entry(video)
            streams = {m: seqs[m].entry(video) if video in seqs[m].videos else None for m in MODALITIES}
            for k, (segment, score) in enumerate(zip(segments, scores)):
                steps = utterance_steps(streams, segment, seq_len, {m: seqs[m].dim for m in MODALITIES})
                steps = {m: cleaner.clean(m, x) for m, x in steps.items()}
                target = (score[SDK_COLUMNS] > 0).astype(np.float32)
                items.append(Item(f"{video}[{k}]", video, split, steps, target))
        dims = {m: seqs[m].dim for m in MODALITIES}
        names = {m: seqs[m].name for m in MODALITIES}
    finally:
        for s in seqs.values():
            s.close()
    notes = cleaner.notes()
    if folds is None:
        notes.append("no standard folds given (--folds cmu_mosei_std_folds.py from the SDK): videos were split "
                     "70/10/20 by a hash of their id, so the figures are not on the standard test fold")
    if unfolded:
        notes.append(f"{unfolded} labelled videos are in no fold and were left out")
    spec = {m: f"mosei-csd:{names[m]}/{dims[m]}/words{seq_len}" for m in MODALITIES}
    return Corpus("mosei", "emotion", LABELS, dims, spec, items, list(paths.values()), notes)


def utterance_steps(streams, segment: np.ndarray, seq_len: int, dims: dict[str, int]) -> dict[str, np.ndarray]:
    """One utterance's steps: its words (text rows whose midpoint falls in the segment), first seq_len, with audio
    and video averaged over each word's interval; without words, audio and video rows in the segment, sampled
    evenly down to seq_len."""
    start, end = segment
    inside = {m: _rows_within(streams[m], start, end) for m in MODALITIES}
    text = inside["text"]
    if text is None or len(text[0]) == 0:
        steps = {m: _evenly(inside[m][0], seq_len) if inside[m] is not None else np.zeros((0, dims[m]), np.float32)
                 for m in MODALITIES}
        steps["text"] = np.zeros((0, dims["text"]), np.float32)
        return steps
    words, spans = text[0][:seq_len], text[1][:seq_len]
    steps = {"text": words}
    for m in ("audio", "video"):
        if streams[m] is None:
            steps[m] = np.zeros((0, dims[m]), np.float32)
            continue
        features, intervals = streams[m]
        steps[m] = np.stack([_mean_over(features, intervals, s, e, dims[m]) for s, e in spans]).astype(np.float32)
    return steps


def _rows_within(stream, start: float, end: float):
    if stream is None:
        return None
    features, intervals = stream
    mid = intervals.mean(axis=1)
    at = (mid >= start) & (mid <= end)
    return features[at], intervals[at]


def _mean_over(features, intervals, start, end, dim) -> np.ndarray:
    overlap = (intervals[:, 0] < end) & (intervals[:, 1] > start)
    if not overlap.any():  # a word shorter than one frame: the frame whose centre is nearest
        if len(features) == 0:
            return np.zeros(dim, np.float32)
        return features[int(np.argmin(np.abs(intervals.mean(axis=1) - (start + end) / 2)))]
    with np.errstate(invalid="ignore"):  # -inf in COVAREP makes inf - inf; the cleaner counts what is left
        return features[overlap].mean(axis=0)


def _evenly(x: np.ndarray, n: int) -> np.ndarray:
    return x if len(x) <= n else x[np.linspace(0, len(x) - 1, n).round().astype(int)]


# ---- word-aligned files -----------------------------------------------------------------------------------------

def load_aligned(folder: Path) -> Corpus:
    """The word-aligned HDF5 files, or a single .pkl holding the same arrays."""
    folder = Path(folder)
    pickles = sorted(folder.glob("*.pkl"))
    if not (folder / ALIGNED_FILES["labels"].format("train")).is_file() and pickles:
        return _corpus_from_arrays({s: _pickle_split(pickles[0], s) for s in ALIGNED_SPLITS}, [pickles[0]],
                                   f"mosei-aligned-pkl:{pickles[0].name}")
    arrays, files = {}, []
    for split in ALIGNED_SPLITS:
        arrays[split] = {}
        for role, pattern in ALIGNED_FILES.items():
            path = folder / pattern.format(split)
            arrays[split][role] = _h5_d1(path)
            files.append(path)
    return _corpus_from_arrays(arrays, files, "mosei-aligned-h5")


def _h5_d1(path: Path) -> np.ndarray:
    import h5py

    if not path.is_file():
        raise FormatError(f"{path} not found: the word-aligned MOSEI emotion data is {', '.join(ALIGNED_FILES.values())} "
                          "for SPLIT in train, valid, test")
    try:
        with h5py.File(path, "r") as f:
            if "d1" not in f:
                raise FormatError(f"{path} has no dataset 'd1' (it has {list(f.keys())[:5]})")
            return np.asarray(f["d1"][()], dtype=np.float32)
    except OSError as e:
        raise FormatError(f"{path} cannot be read as HDF5 ({e}); is the file complete?") from e


def _pickle_split(path: Path, split: str) -> dict[str, np.ndarray]:
    try:
        with open(path, "rb") as f:
            data = pickle.load(f, encoding="latin1")
    except (OSError, pickle.UnpicklingError, EOFError, ValueError) as e:
        raise FormatError(f"{path} cannot be read as a pickle ({e}); is the file complete?") from e
    if not isinstance(data, dict) or split not in data:
        raise FormatError(f"{path}: expected a dict with train, valid and test; found {type(data).__name__} "
                          f"{list(data)[:5] if isinstance(data, dict) else ''}")
    part = data[split]
    missing = [k for k in ("text", "audio", "vision", "labels") if k not in part]
    if missing:
        raise FormatError(f"{path}: {split} lacks {missing}")
    return {"text": np.asarray(part["text"], np.float32), "audio": np.asarray(part["audio"], np.float32),
            "video": np.asarray(part["vision"], np.float32), "labels": np.asarray(part["labels"], np.float32)}


def _corpus_from_arrays(arrays: dict, files: list[Path], kind: str) -> Corpus:
    cleaner, items, dims = NonFinite(), [], None
    for split, a in arrays.items():
        where = f"{kind} {split}"
        n = a["labels"].shape[0]
        labels = a["labels"].reshape(n, -1)
        if labels.shape[1] != len(LABELS):
            raise FormatError(f"{where}: labels have shape {a['labels'].shape}; the emotion files carry (N, 6) "
                              f"intensities ({', '.join(LABELS)}). (N, 1, 1) is MulT's sentiment file, not emotions")
        for m in MODALITIES:
            x = a[m]
            if x.ndim != 3 or x.shape[0] != n:
                raise FormatError(f"{where}: {m} has shape {x.shape}; expected ({n}, steps, columns) to match "
                                  f"{n} labels")
        split_dims = {m: a[m].shape[2] for m in MODALITIES}
        if dims is not None and split_dims != dims:
            raise FormatError(f"{where}: feature columns {split_dims} differ from the train split's {dims}")
        dims = split_dims
        for i in range(n):
            seq = {m: cleaner.clean(m, a[m][i]) for m in MODALITIES}
            # Sequences are zero-padded to 20 steps; a step that is zero in every modality is padding.
            real = np.zeros(a["text"].shape[1], bool)
            for m in MODALITIES:
                real |= np.abs(seq[m]).sum(axis=1) > 0
            steps = {m: seq[m][real] for m in MODALITIES}
            items.append(Item(f"{split}-{i:05d}", f"{split}-{i:05d}", ALIGNED_SPLITS[split], steps,
                              (labels[i] > 0).astype(np.float32)))
    spec = {m: f"{kind}:{m}{dims[m]}/words" for m in MODALITIES}
    return Corpus("mosei", "emotion", LABELS, dims, spec, items, files, cleaner.notes())


def load(folder: Path, **options) -> Corpus:
    """Whichever form `folder` holds: .csd sequences, or the word-aligned files."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FormatError(f"{folder} is not a folder: point --data at the folder holding the MOSEI files")
    if any(folder.glob("*.csd")):
        return load_sdk(folder, **options)
    if any(folder.glob("*.h5")) or any(folder.glob("*.pkl")):
        return load_aligned(folder)
    raise FormatError(f"{folder} holds no .csd (CMU-MultimodalSDK) and no .h5/.pkl (word-aligned) MOSEI files")
