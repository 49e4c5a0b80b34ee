"""The research readers on fixtures written in the datasets' own formats (CMU-MultimodalSDK .csd, the word-aligned
MOSEI HDF5 files, Moviescope's jsonl + pickles), malformed files among them, and `reproduce` end to end."""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ holds the packages

import h5py  # noqa: E402
import numpy as np  # noqa: E402

from mmstream_research import fixtures, mosei, moviescope, reproduce  # noqa: E402
from mmstream_research.corpus import FormatError  # noqa: E402


@pytest.fixture(scope="module")
def sdk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mosei-sdk")
    return folder, fixtures.write_sdk(folder, videos=30)


@pytest.fixture(scope="module")
def aligned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mosei-aligned")
    return folder, fixtures.write_aligned(folder)


@pytest.fixture(scope="module")
def scope(tmp_path_factory):
    folder = tmp_path_factory.mktemp("moviescope")
    return folder, fixtures.write_moviescope(folder, movies=40)


# ---- CMU-MultimodalSDK computational sequences ----

def test_sdk_reader_gives_each_utterance_its_words_aligned_audio_video_and_labels(sdk):
    folder, truth = sdk
    corpus = mosei.load(folder)
    assert len(corpus.items) == sum(len(t["words"]) for t in truth.values())
    assert corpus.dims == {"text": 300, "audio": 74, "video": 35}
    for item in corpus.items:
        video, k = item.item_id.split("[")
        k = int(k.rstrip("]"))
        sdk_row = truth[video]["labels"][k]
        # SDK order [sentiment, happy, sad, anger, surprise, disgust, fear] -> anger, disgust, fear, happy, sad, surprise
        expected = [sdk_row[3], sdk_row[5], sdk_row[6], sdk_row[1], sdk_row[2], sdk_row[4]]
        assert item.target.tolist() == [float(v > 0) for v in expected]
        words = min(truth[video]["words"][k], mosei.SEQ_LEN)
        assert [item.steps[m].shape[0] for m in ("text", "audio", "video")] == [words] * 3
        assert all(np.isfinite(item.steps[m]).all() for m in item.steps)


def test_sdk_reader_splits_by_the_standard_folds_file(sdk):
    folder, truth = sdk
    corpus = mosei.load(folder)
    ids = list(truth)
    split_of = {i.group: i.split for i in corpus.items}
    assert split_of[ids[0]] == "train" and split_of[ids[20]] == "val" and split_of[ids[-1]] == "test"
    assert corpus.split_sizes()["test"] == sum(len(truth[v]["words"]) for v in ids[24:])
    assert any("audio values were NaN or ±inf" in n for n in corpus.notes)  # COVAREP's -inf, counted


def test_sdk_reader_without_folds_splits_by_video_and_says_so(sdk, tmp_path):
    folder, truth = sdk
    for f in folder.glob("*.csd"):
        (tmp_path / f.name).symlink_to(f)
    corpus = mosei.load(tmp_path)
    assert any("not on the standard test fold" in n for n in corpus.notes)
    by_video = {}
    for item in corpus.items:
        by_video.setdefault(item.group, set()).add(item.split)
    assert all(len(s) == 1 for s in by_video.values())  # a video's utterances never straddle splits


def test_sdk_metadata_reads_back_as_the_sdk_wrote_it(sdk):
    folder, _ = sdk
    seq = mosei.ComputationalSequence(folder / "CMU_MOSEI_COVAREP.csd")
    try:
        assert seq.name == "COVAREP" and seq.metadata["dataset name"] == "CMU-MOSEI" and seq.dim == 74
        features, intervals = seq.entry(seq.videos[0])
        assert features.dtype == np.float32 and intervals.shape == (len(features), 2)
    finally:
        seq.close()


def _copy_sdk(folder: Path, to: Path) -> Path:
    for f in folder.iterdir():
        (to / f.name).write_bytes(f.read_bytes())
    return to


def test_a_truncated_csd_file_is_named(sdk, tmp_path):
    folder = _copy_sdk(sdk[0], tmp_path)
    path = folder / "CMU_MOSEI_VisualFacet42.csd"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(FormatError, match=r"CMU_MOSEI_VisualFacet42.csd.*(complete|HDF5)"):
        mosei.load(folder)


def test_a_csd_without_its_data_group_or_with_mismatched_intervals_is_refused(sdk, tmp_path):
    folder = _copy_sdk(sdk[0], tmp_path)
    path = folder / "CMU_MOSEI_COVAREP.csd"
    with h5py.File(path, "a") as f:
        video = next(iter(f["COVAREP/data"]))
        del f[f"COVAREP/data/{video}/intervals"]
        f[f"COVAREP/data/{video}/intervals"] = np.zeros((3, 2))
    with pytest.raises(FormatError, match=r"CMU_MOSEI_COVAREP.csd: entry .* feature rows but intervals of shape \(3, 2\)"):
        mosei.load(folder)
    with h5py.File(path, "w") as f:
        f.create_group("COVAREP").create_group("metadata")
    with pytest.raises(FormatError, match="has no 'data' group"):
        mosei.load(folder)


def test_labels_with_the_wrong_columns_are_refused(sdk, tmp_path):
    folder = _copy_sdk(sdk[0], tmp_path)
    fixtures.write_csd(folder / "CMU_MOSEI_Labels.csd", "All Labels",
                       {"v": (np.zeros((1, 1), np.float32), np.array([[0.0, 1.0]]))}, "sentiment only")
    with pytest.raises(FormatError, match="labels have 1 columns; CMU_MOSEI_Labels.csd has 7"):
        mosei.load(folder)


# ---- word-aligned files ----

def test_aligned_reader_drops_front_padding_and_binarises_intensities(aligned):
    folder, truth = aligned
    corpus = mosei.load(folder)
    assert corpus.split_sizes() == {"train": 120, "val": 40, "test": 40}
    test_items = [i for i in corpus.items if i.split == "test"]
    assert [i.steps["text"].shape[0] for i in test_items] == truth["test"]["lengths"].tolist()
    assert np.array_equal(np.stack([i.target for i in test_items]), (truth["test"]["labels"] > 0).astype(np.float32))
    assert corpus.notes == ["3 audio values were NaN or ±inf and were set to 0"]


def test_aligned_pickle_with_the_same_arrays_reads_the_same(aligned, tmp_path):
    folder, _ = aligned
    data = {}
    for split in ("train", "valid", "test"):
        read = {m: np.asarray(h5py.File(folder / name.format(split), "r")["d1"]) for m, name in mosei.ALIGNED_FILES.items()}
        data[split] = {"text": read["text"], "audio": read["audio"], "vision": read["video"], "labels": read["labels"]}
    with open(tmp_path / "mosei_emotion.pkl", "wb") as f:
        pickle.dump(data, f)
    from_h5, from_pkl = mosei.load(folder), mosei.load(tmp_path)
    assert len(from_pkl.items) == len(from_h5.items)
    assert all(np.array_equal(a.target, b.target) and np.array_equal(a.steps["video"], b.steps["video"])
               for a, b in zip(from_h5.items, from_pkl.items))


def test_mults_sentiment_pickle_is_refused_with_what_it_is(tmp_path):
    part = {"text": np.zeros((2, 50, 300)), "audio": np.zeros((2, 50, 74)), "vision": np.zeros((2, 50, 35)),
            "labels": np.zeros((2, 1, 1))}
    with open(tmp_path / "mosei_senti_data.pkl", "wb") as f:
        pickle.dump({"train": part, "valid": part, "test": part}, f)
    with pytest.raises(FormatError, match=r"\(N, 1, 1\) is MulT's sentiment file"):
        mosei.load(tmp_path)


def test_a_missing_aligned_file_is_named(aligned, tmp_path):
    folder = _copy_sdk(aligned[0], tmp_path)
    (folder / "video_valid.h5").unlink()
    with pytest.raises(FormatError, match="video_valid.h5 not found"):
        mosei.load(folder)


# ---- Moviescope ----

def test_moviescope_reader_gives_plot_audio_video_and_the_13_genres(scope):
    folder, truth = scope
    corpus = moviescope.load(folder)
    assert len(corpus.items) == 40 and corpus.split_sizes() == {"train": 24, "val": 8, "test": 8}
    assert corpus.dims == {"text": 300, "audio": 96, "video": 4096}
    for item in corpus.items:
        assert [moviescope.GENRES[g] for g in np.flatnonzero(item.target)] == truth[item.item_id]
        assert item.steps["video"].shape == (24, 4096)
        assert item.steps["text"].shape[0] > 20
    no_audio = [i for i in corpus.items if i.steps["audio"].shape[0] == 0]
    assert [i.item_id for i in no_audio] == ["100001"]
    assert all(i.steps["audio"].shape == (200, 96) for i in corpus.items if i.item_id != "100001")  # 600 frames pooled
    assert "1 of 40 movies have no audio" in corpus.notes
    assert any("40 metadata rows read" in n for n in corpus.notes)


def test_pooling_keeps_the_mean_and_orientation_follows_the_mel_axis(tmp_path):
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    assert moviescope.pool_time(x, 3).tolist() == [[1, 2], [5, 6], [9, 10]]
    mel = np.random.default_rng(0).standard_normal((1, 4, 128, 50)).astype(np.float32)  # four clips, bands first
    with open(tmp_path / "m.p", "wb") as f:
        pickle.dump(mel, f)
    steps = moviescope.audio_steps(tmp_path / "m.p", 1000)
    assert steps.shape == (200, 128) and np.array_equal(steps[50:100], mel[0, 1].T)


def test_glove_vectors_replace_hashed_ones(scope, tmp_path):
    folder, _ = scope
    glove = tmp_path / "glove.txt"
    glove.write_text("the 1 0 0 0\nstory 0 1 0 0\nunrelated 0 0 0 1\n")
    corpus = moviescope.load(folder, glove=glove)
    assert corpus.dims["text"] == 4
    rows = np.concatenate([i.steps["text"] for i in corpus.items])
    assert set(map(tuple, rows.tolist())) <= {(1, 0, 0, 0), (0, 1, 0, 0)}


def test_malformed_moviescope_files_are_named(scope, tmp_path):
    folder = tmp_path / "ms"
    folder.mkdir()
    for sub in scope[0].iterdir():
        (folder / sub.name).symlink_to(sub)
    (folder / "dev.jsonl").unlink()
    (folder / "dev.jsonl").write_text('{"id": "1", "synopsis": "x", "label": ["Western"]}\n')
    with pytest.raises(FormatError, match=r"dev.jsonl, line 1: genres \['Western'\] are not among"):
        moviescope.load(folder)
    (folder / "dev.jsonl").unlink()
    (folder / "dev.jsonl").write_text('{"id": "1", "synopsis": "x", "label": ["drama"]\n')
    with pytest.raises(FormatError, match=r"dev.jsonl, line 1: not JSON"):
        moviescope.load(folder)
    bad = tmp_path / "cut.p"
    whole = (scope[0] / moviescope.VIDEO_DIR / "100000.p").read_bytes()
    bad.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(FormatError, match=r"cut.p cannot be read as a pickled array"):
        moviescope.video_steps(bad, 200)


# ---- reproduce end to end ----

@pytest.mark.parametrize("kind", ["mosei-sdk", "moviescope"])
def test_reproduce_one_epoch_prints_both_architectures_beside_the_report(kind, sdk, scope, tmp_path, capsys):
    folder = sdk[0] if kind == "mosei-sdk" else scope[0]
    dataset = "mosei" if kind == "mosei-sdk" else "moviescope"
    assert reproduce.main([dataset, "--data", str(folder), "--out", str(tmp_path), "--epochs", "1"]) == 0
    out = capsys.readouterr().out
    table = out[out.index("### Table"):]
    for arch in ("baseline", "hybrid"):
        row = next(line for line in table.splitlines() if line.startswith(f"| {arch} (mmstream) |"))
        values = [float(c) for c in row.split("|")[2 if dataset == "moviescope" else 3:-1] if c.strip() not in ("", "–")]
        assert values and all(0 <= v <= 1 for v in values)
    assert ("| report | F1 |" in table) if dataset == "mosei" else ("| hybrid (report) | 0.560 | 0.582 | 0.685 |" in table)
    assert "research only" in table and "cannot be served on live streams" in table
    assert (tmp_path / "tables.md").read_text().strip() == table.strip().split("\n\n(also in")[0].strip()
    assert not list(tmp_path.rglob("*.onnx"))


def test_reproduce_on_a_malformed_file_says_which_in_one_line(tmp_path, capsys):
    (tmp_path / "CMU_MOSEI_Labels.csd").write_bytes(b"not hdf5 at all")
    assert reproduce.main(["mosei", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("mmstream reproduce:")
    assert "no file for the text sequence" in err or "CMU_MOSEI_Labels.csd" in err
