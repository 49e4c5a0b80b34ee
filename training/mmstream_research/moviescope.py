"""Moviescope (Cascante-Bonilla et al. 2019) as its feature release and the MulT-GMU work lay it out:

  train.jsonl, dev.jsonl, test.jsonl   one movie per line: {"id", "synopsis" (or "plot"), "label": [genres]}
  200F_VGG16/<id>.p                    pickled (1, 200, 4096) or (200, 4096) VGG16 fc7 features of 200 frames
  Melspectrogram/<id>.p                pickled log-mel spectrogram, (96|128, T) or (T, 96|128); a leading axis of
                                       clips (e.g. four 30 s clips) is joined in time
  Metadata_matrices/<split>_metadata.npy + <split>_ids.pickle   optional: a row per movie (id -> row)

A movie without a feature file has that modality absent (the model masks it); the count is reported. Plot text
becomes word vectors (corpus.WordVectors). Posters and metadata are read for the counts but not used: the
report's Table 3 rows are text + audio + video, and poster and metadata as modalities are the genre service's
work (issue #20)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np

from mmstream_research.corpus import Corpus, FormatError, Item, NonFinite, WordVectors

GENRES = ("action", "animation", "biography", "comedy", "crime", "drama", "family", "fantasy", "horror", "mystery",
          "romance", "sci-fi", "thriller")
SPLIT_FILES = {"train": "train.jsonl", "val": "dev.jsonl", "test": "test.jsonl"}
VIDEO_DIR, AUDIO_DIR, META_DIR = "200F_VGG16", "Melspectrogram", "Metadata_matrices"
VGG_DIM = 4096
MEL_BANDS = (96, 128)
ALIASES = {"science fiction": "sci-fi", "sci fi": "sci-fi", "scifi": "sci-fi", "sci_fi": "sci-fi",
           "biopic": "biography"}


def genre_name(raw: str) -> str | None:
    name = raw.strip().lower()
    name = ALIASES.get(name, name)
    return name if name in GENRES else None


def read_movies(folder: Path) -> list[tuple[str, dict]]:
    """(split, record) per movie of the three jsonl files, each record checked."""
    movies, seen = [], {}
    for split, name in SPLIT_FILES.items():
        path = folder / name
        if not path.is_file():
            raise FormatError(f"{path} not found: Moviescope's splits are {', '.join(SPLIT_FILES.values())} "
                              "(one JSON object per movie and line)")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}, line {n}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise FormatError(f"{where}: not JSON ({e.msg}); is the file complete?") from e
            if not isinstance(record, dict) or "id" not in record:
                raise FormatError(f"{where}: a movie needs an \"id\"")
            genres = record.get("label", record.get("genres"))
            if not isinstance(genres, list) or not genres:
                raise FormatError(f"{where}: movie {record['id']} needs a non-empty \"label\" list of genres")
            unknown = [g for g in genres if genre_name(str(g)) is None]
            if unknown:
                raise FormatError(f"{where}: genres {unknown} are not among Moviescope's 13 ({', '.join(GENRES)})")
            movie = str(record["id"])
            if movie in seen:
                raise FormatError(f"{where}: movie {movie} is also in {seen[movie]}")
            seen[movie] = name
            movies.append((split, record))
    return movies


def load_pickled(path: Path) -> np.ndarray:
    try:
        with open(path, "rb") as f:
            x = pickle.load(f, encoding="bytes")
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError) as e:
        raise FormatError(f"{path} cannot be read as a pickled array ({e}); is the file complete?") from e
    x = np.asarray(x)
    if x.dtype.kind not in "fiu":
        raise FormatError(f"{path} holds {x.dtype} values, not numbers")
    return x


def video_steps(path: Path, max_steps: int) -> np.ndarray:
    x = load_pickled(path)
    while x.ndim > 2 and x.shape[0] == 1:
        x = x[0]
    if x.ndim != 2 or x.shape[1] != VGG_DIM:
        raise FormatError(f"{path}: VGG16 features of shape {x.shape}; expected (frames, {VGG_DIM})")
    if len(x) > max_steps:
        x = x[np.linspace(0, len(x) - 1, max_steps).round().astype(int)]
    return x.astype(np.float16)  # ReLU outputs of a few tens at most; halves 200 x 4096 floats per movie


def audio_steps(path: Path, max_steps: int) -> np.ndarray:
    """(steps, bands) float32: the spectrogram oriented time-first, clips joined, averaged down to max_steps."""
    x = load_pickled(path).astype(np.float32)
    while x.ndim > 2 and x.shape[0] == 1:
        x = x[0]
    clips = list(x) if x.ndim == 3 else [x]
    if x.ndim not in (2, 3):
        raise FormatError(f"{path}: spectrogram of shape {x.shape}; expected (bands, frames), (frames, bands) or "
                          "(clips, bands, frames)")
    frames = []
    for clip in clips:
        if clip.shape[0] in MEL_BANDS:  # librosa's (bands, frames); also taken when both axes could be bands
            frames.append(clip.T)
        elif clip.shape[1] in MEL_BANDS:
            frames.append(clip)
        else:
            raise FormatError(f"{path}: spectrogram of shape {clip.shape} has no axis of {' or '.join(map(str, MEL_BANDS))} "
                              "mel bands")
    joined = np.concatenate(frames)
    return pool_time(joined, max_steps)


def pool_time(x: np.ndarray, max_steps: int) -> np.ndarray:
    """Averages consecutive frames so that at most max_steps remain (thousands of 20 ms frames per trailer)."""
    if len(x) <= max_steps:
        return x
    edges = np.linspace(0, len(x), max_steps + 1).round().astype(int)
    return np.stack([x[a:b].mean(axis=0) for a, b in zip(edges[:-1], edges[1:])])


def read_metadata_rows(folder: Path) -> int:
    """Movies with a metadata row, checked for consistency; 0 when the folder is absent."""
    meta = folder / META_DIR
    if not meta.is_dir():
        return 0
    total = 0
    for split in ("train", "val", "dev", "test"):
        matrix_path, ids_path = meta / f"{split}_metadata.npy", meta / f"{split}_ids.pickle"
        if not matrix_path.is_file():
            continue
        try:
            matrix = np.load(matrix_path)
        except (OSError, ValueError) as e:
            raise FormatError(f"{matrix_path} cannot be read as a .npy matrix ({e})") from e
        ids = load_id_index(ids_path)
        bad = [i for i, row in ids.items() if not 0 <= row < len(matrix)]
        if bad:
            raise FormatError(f"{ids_path}: rows for {bad[:3]} are outside {matrix_path.name}'s {len(matrix)} rows")
        total += len(ids)
    return total


def load_id_index(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            ids = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError) as e:
        raise FormatError(f"{path} cannot be read as a pickled id -> row dict ({e})") from e
    if not isinstance(ids, dict):
        raise FormatError(f"{path}: expected a dict of movie id -> row, found {type(ids).__name__}")
    return ids


def load(folder: Path, glove: Path | None = None, max_words: int = 200, max_video: int = 200,
         max_audio: int = 200) -> Corpus:
    folder = Path(folder)
    if not folder.is_dir():
        raise FormatError(f"{folder} is not a folder: point --data at the Moviescope folder")
    movies = read_movies(folder)
    texts = [str(r.get("synopsis", r.get("plot", r.get("text", "")))) for _, r in movies]
    vocabulary = {w for t in texts for w in WordVectors.words(t)} if glove else None
    words = WordVectors(glove=glove, vocabulary=vocabulary)
    cleaner, items, files, missing = NonFinite(), [], [], {"text": 0, "audio": 0, "video": 0}
    for (split, record), text in zip(movies, texts):
        movie = str(record["id"])
        steps = {"text": words.encode(text, max_words)}
        for m, sub, read, limit, dim in (("video", VIDEO_DIR, video_steps, max_video, VGG_DIM),
                                         ("audio", AUDIO_DIR, audio_steps, max_audio, None)):
            path = folder / sub / f"{movie}.p"
            if path.is_file():
                steps[m] = cleaner.clean(m, read(path, limit))
                files.append(path)
            else:
                steps[m] = None
        for m in steps:
            if steps[m] is None or len(steps[m]) == 0:
                missing[m] += 1
        target = np.zeros(len(GENRES), np.float32)
        for g in record.get("label", record.get("genres")):
            target[GENRES.index(genre_name(str(g)))] = 1.0
        items.append(Item(movie, movie, split, steps, target))
    bands = {x.shape[1] for i in items if (x := i.steps["audio"]) is not None}
    if len(bands) > 1:
        raise FormatError(f"{folder / AUDIO_DIR}: spectrograms with different band counts {sorted(bands)}")
    dims = {"text": words.dim, "audio": bands.pop() if bands else MEL_BANDS[0], "video": VGG_DIM}
    for item in items:
        for m in ("audio", "video"):
            if item.steps[m] is None:
                item.steps[m] = np.zeros((0, dims[m]), np.float32)
    notes = [f"{n} of {len(items)} movies have no {m}" for m, n in missing.items() if n]
    notes += cleaner.notes()
    meta_rows = read_metadata_rows(folder)
    notes.append(f"plot text as {words.kind} word vectors (the report used BERT)"
                 + (f"; {meta_rows} metadata rows read, not used (Table 3 is text+audio+video)" if meta_rows else ""))
    spec = {"text": f"moviescope:plot/{words.kind}", "audio": f"moviescope:logmel{dims['audio']}/pool{max_audio}",
            "video": f"moviescope:vgg16-fc7/{max_video}frames"}
    split_files = [folder / f for f in SPLIT_FILES.values()]
    return Corpus("moviescope", "genre", GENRES, dims, spec, items, split_files + files, notes)
