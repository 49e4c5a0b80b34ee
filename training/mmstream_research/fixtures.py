"""Small files in exactly the research datasets' formats (the SDK's HDF5 group layout, dtypes and shapes; the
word-aligned d1 datasets; Moviescope's jsonl and pickles), with labels that leave a learnable trace in every
modality. The tests read them back; `python -m mmstream_research.fixtures KIND OUT` writes one to try
`./mmstream reproduce` without the real data."""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import numpy as np

from mmstream_research import moviescope
from mmstream_research.mosei import LABELS, SDK_LABEL_ORDER

DIMS = {"text": 300, "audio": 74, "video": 35}  # GloVe, COVAREP, FACET 4.2
SDK_FILES = {"text": ("CMU_MOSEI_TimestampedWordVectors.csd", "glove_vectors"),
             "audio": ("CMU_MOSEI_COVAREP.csd", "COVAREP"),
             "video": ("CMU_MOSEI_VisualFacet42.csd", "FACET 4.2"),
             "labels": ("CMU_MOSEI_Labels.csd", "All Labels")}
RATES = {"audio": 20.0, "video": 15.0}  # rows per second (the real files: 100 and 30)


def write_csd(path: Path, root: str, data: dict[str, tuple[np.ndarray, np.ndarray]], description: str) -> None:
    """A computational sequence as the SDK writes it: root/data/<video>/{features,intervals}, root/metadata/<key>
    as one-element variable-length strings holding JSON."""
    import h5py

    with h5py.File(path, "w") as f:
        group = f.create_group(root)
        data_group = group.create_group("data")
        for video, (features, intervals) in data.items():
            entry = data_group.create_group(video)
            entry.create_dataset("features", data=features)
            entry.create_dataset("intervals", data=intervals)
        meta = group.create_group("metadata")
        for key, value in {"root name": root, "computational sequence description": description,
                           "dimension names": None, "computational sequence version": "1.0",
                           "alignment compatible": True, "dataset name": "CMU-MOSEI", "dataset version": "1.0",
                           "creator": "mmstream test fixture", "contact": "", "featureset bib citation": "",
                           "dataset bib citation": ""}.items():
            meta.create_dataset(key, (1,), dtype=h5py.special_dtype(vlen=str))
            meta[key][0] = json.dumps(value)


def _directions(rng, dims):
    return {m: rng.standard_normal((len(LABELS), d)).astype(np.float32) * 1.5 for m, d in dims.items()}


def write_sdk(folder: Path, videos: int = 40, segments: int = 3, seed: int = 0) -> dict:
    """The four .csd files and the standard-folds file of the SDK for `videos` videos; returns what was written
    (per video its segments' label rows and word counts) for the tests to check the reader against."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    direction = _directions(rng, DIMS)
    data = {role: {} for role in SDK_FILES}
    truth = {}
    for v in range(videos):
        video = f"vid{v:03d}_{rng.integers(1_000_000):06d}"
        t, seg_rows, word_rows, word_spans, frame_rows = 0.5, [], [], [], {m: ([], []) for m in RATES}
        words_per_segment = []
        for _ in range(segments):
            present = rng.random(len(LABELS)) < 0.35
            intensity = np.where(present, rng.choice([0.333, 0.667, 1.0, 2.0], len(LABELS)), 0.0)
            n_words = int(rng.integers(3, 26))  # some longer than the 20-step sequence
            start, end = t, t + n_words * 0.3
            sdk_row = np.zeros(len(SDK_LABEL_ORDER), np.float32)
            sdk_row[0] = rng.uniform(-3, 3)  # sentiment
            for i, name in enumerate(LABELS):
                sdk_row[SDK_LABEL_ORDER.index(name)] = intensity[i]
            seg_rows.append((sdk_row, [start, end]))
            trace = {m: present.astype(np.float32) @ direction[m] for m in DIMS}
            for w in range(n_words):
                word_rows.append(rng.standard_normal(DIMS["text"]).astype(np.float32) + trace["text"])
                word_spans.append([start + 0.3 * w, start + 0.3 * w + 0.25])
            for m, rate in RATES.items():
                n = int((end - start) * rate)
                times = start + np.arange(n) / rate
                frame_rows[m][0].append(rng.standard_normal((n, DIMS[m])).astype(np.float32) + trace[m])
                frame_rows[m][1].append(np.stack([times, times + 1 / rate], axis=1))
            words_per_segment.append(n_words)
            t = end + 1.0
        data["labels"][video] = (np.stack([r for r, _ in seg_rows]), np.array([s for _, s in seg_rows], np.float64))
        data["text"][video] = (np.stack(word_rows), np.array(word_spans, np.float64))
        for m in RATES:
            features = np.concatenate(frame_rows[m][0])
            if m == "audio":  # COVAREP's unvoiced frames: -inf in some columns
                features[rng.random(features.shape) < 0.002] = -np.inf
            data[m][video] = (features, np.concatenate(frame_rows[m][1]))
        truth[video] = {"labels": data["labels"][video][0], "words": words_per_segment}
    for role, (name, root) in SDK_FILES.items():
        write_csd(folder / name, root, data[role], f"mmstream fixture: {role}")
    ids = list(truth)
    folds = {"standard_train_fold": ids[: int(videos * 0.6)], "standard_valid_fold": ids[int(videos * 0.6): int(videos * 0.8)],
             "standard_test_fold": ids[int(videos * 0.8):]}
    (folder / "cmu_mosei_std_folds.py").write_text("".join(f"{k}={v!r}\n" for k, v in folds.items()))
    return truth


def write_aligned(folder: Path, sizes=None, seq_len: int = 20, seed: int = 0) -> dict:
    """text_SPLIT_emb.h5, audio_SPLIT.h5, video_SPLIT.h5, ey_SPLIT.h5 (dataset d1), front-padded with zeros as
    the originals are; returns the label arrays per split."""
    import h5py

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = sizes or {"train": 120, "valid": 40, "test": 40}
    rng = np.random.default_rng(seed)
    direction = _directions(rng, DIMS)
    labels_by_split = {}
    for split, n in sizes.items():
        present = rng.random((n, len(LABELS))) < 0.35
        intensity = np.where(present, rng.choice([0.333, 0.667, 1.0, 2.0], present.shape), 0.0).astype(np.float32)
        lengths = rng.integers(4, seq_len + 1, n)
        arrays = {}
        for m, d in DIMS.items():
            x = rng.standard_normal((n, seq_len, d)).astype(np.float32) + (present.astype(np.float32) @ direction[m])[:, None, :]
            x[np.arange(seq_len)[None, :] < (seq_len - lengths)[:, None]] = 0.0  # padding before the words
            arrays[m] = x
        arrays["audio"][0, -1, 3] = -np.inf
        for role, array in (("text", arrays["text"]), ("audio", arrays["audio"]), ("video", arrays["video"]),
                            ("labels", intensity)):
            name = {"text": f"text_{split}_emb.h5", "audio": f"audio_{split}.h5", "video": f"video_{split}.h5",
                    "labels": f"ey_{split}.h5"}[role]
            with h5py.File(folder / name, "w") as f:
                f.create_dataset("d1", data=array)
        labels_by_split[split] = {"labels": intensity, "lengths": lengths}
    return labels_by_split


PLOT_WORDS = {g: [f"{g}word{k}" for k in range(6)] for g in moviescope.GENRES}
FILLER = "the a story of man woman city night life world finds must".split()


def write_moviescope(folder: Path, movies: int = 60, frames: int = 24, mel_frames: int = 600, seed: int = 0) -> dict:
    """train/dev/test.jsonl, 200F_VGG16/<id>.p, Melspectrogram/<id>.p (96 bands, time second) and the metadata
    matrices; one movie has no spectrogram. Returns {id: genres}."""
    folder = Path(folder)
    for sub in (moviescope.VIDEO_DIR, moviescope.AUDIO_DIR, moviescope.META_DIR):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    video_dir = rng.standard_normal((len(moviescope.GENRES), moviescope.VGG_DIM)).astype(np.float32)
    audio_dir = rng.standard_normal((len(moviescope.GENRES), 96)).astype(np.float32)
    lines, truth = {"train": [], "dev": [], "test": []}, {}
    for i in range(movies):
        movie = str(100000 + i)
        genres = sorted(set(rng.choice(len(moviescope.GENRES), int(rng.integers(1, 4)), replace=False).tolist()))
        names = [moviescope.GENRES[g].title() if g % 2 else moviescope.GENRES[g] for g in genres]  # case varies
        words = [w for g in genres for w in rng.choice(PLOT_WORDS[moviescope.GENRES[g]], 3).tolist()]
        words += rng.choice(FILLER, 20).tolist()
        rng.shuffle(words)
        split = ("train", "train", "train", "dev", "test")[i % 5]
        lines[split].append(json.dumps({"id": movie, "synopsis": " ".join(words), "label": names}))
        hot = np.zeros(len(moviescope.GENRES), np.float32)
        hot[genres] = 1
        vgg = np.maximum(rng.standard_normal((1, frames, moviescope.VGG_DIM)).astype(np.float32) + hot @ video_dir, 0)
        with open(folder / moviescope.VIDEO_DIR / f"{movie}.p", "wb") as f:
            pickle.dump(vgg, f)
        if i != 1:
            mel = (rng.standard_normal((96, mel_frames)) + (hot @ audio_dir)[:, None]).astype(np.float32)
            with open(folder / moviescope.AUDIO_DIR / f"{movie}.p", "wb") as f:
                pickle.dump(mel, f)
        truth[movie] = [moviescope.GENRES[g] for g in genres]
    for split, rows in lines.items():
        (folder / f"{split}.jsonl").write_text("\n".join(rows) + "\n")
        ids = [json.loads(r)["id"] for r in rows]
        np.save(folder / moviescope.META_DIR / f"{split}_metadata.npy", rng.standard_normal((len(ids), 8)).astype(np.float32))
        with open(folder / moviescope.META_DIR / f"{split}_ids.pickle", "wb") as f:
            pickle.dump({movie: k for k, movie in enumerate(ids)}, f)
    return truth


if __name__ == "__main__":
    kinds = {"mosei-sdk": write_sdk, "mosei-aligned": write_aligned, "moviescope": write_moviescope}
    if len(sys.argv) != 3 or sys.argv[1] not in kinds:
        sys.exit(f"usage: python -m mmstream_research.fixtures {'|'.join(kinds)} OUT")
    kinds[sys.argv[1]](Path(sys.argv[2]))
    print(f"wrote a {sys.argv[1]} fixture to {sys.argv[2]}")
