"""Dataset reader: the extract format is read, padded and masked; bad windows are refused by name."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ holds the packages

from mmstream_training.data import DatasetError, catalogue_stats, feature_stats, load_dataset, load_datasets  # noqa: E402
from mmstream_training.data.fake import FakeSpec, fake_windows, write_dataset  # noqa: E402

SPEC = FakeSpec(n_windows=30, dims={"text": 8, "audio": 5, "video": 6},
                max_lengths={"text": 7, "audio": 6, "video": 4}, missing_prob=0.2, seed=3)


def records():
    return list(fake_windows(SPEC))


def test_reads_windows_into_padded_masked_batches(tmp_path):
    recs = records()
    dataset = load_dataset(write_dataset(tmp_path, SPEC, recs, windows_per_file=7), task="emotion")
    assert len(dataset) == 30 and dataset.info.dims == SPEC.dims and dataset.info.labels == SPEC.labels
    batch = dataset.batch(np.arange(30))
    for m in ("text", "audio", "video"):
        assert batch.features[m].shape == (30, SPEC.max_lengths[m], SPEC.dims[m])
        rows = np.array([r[m]["rows"] for r in recs])
        np.testing.assert_array_equal(batch.masks[m].sum(1).numpy(), rows)
        assert (batch.features[m][~batch.masks[m]] == 0).all(), "padding must be zeros"
        first = next(i for i, r in enumerate(recs) if r[m]["rows"] > 0)
        expected = np.array(recs[first][m]["values"], dtype=np.float32).reshape(rows[first], -1)
        np.testing.assert_array_equal(batch.features[m][first, : rows[first]].numpy(), expected)
    assert any(r["audio"]["rows"] == 0 for r in recs), "the spec should produce a missing modality"
    names = [[SPEC.labels[c] for c in np.flatnonzero(t)] for t in dataset.targets]
    assert names == [r["labels"] for r in recs]
    assert set(dataset.splits) == {"train", "val", "test"}
    short = dataset.batch(np.arange(4), pad_to_max=False)
    assert short.features["text"].shape[1] == max(1, max(r["text"]["rows"] for r in recs[:4]))


def refusal(tmp_path, edit) -> str:
    recs = records()
    edit(recs[12])
    write_dataset(tmp_path, SPEC, recs)
    with pytest.raises(DatasetError) as e:
        load_dataset(tmp_path)
    return str(e.value)


def test_refuses_window_with_other_spec_ids_naming_the_clip(tmp_path):
    message = refusal(tmp_path, lambda r: r["spec_ids"].update(audio="logmel80@2"))
    assert "clip00002" in message and "logmel80@2" in message and "spec ids" in message


def test_a_window_without_steps_of_a_modality_may_lack_its_spec_id(tmp_path):
    recs = records()
    recs[12]["text"] = {"rows": 0, "cols": SPEC.dims["text"], "values": []}
    del recs[12]["spec_ids"]["text"]  # as the window assembler writes an absent modality
    dataset = load_dataset(write_dataset(tmp_path, SPEC, recs))
    assert dataset.steps["text"][12].shape == (0, SPEC.dims["text"])


def test_refuses_window_with_steps_but_no_spec_id_for_them(tmp_path):
    message = refusal(tmp_path, lambda r: r["spec_ids"].pop("audio"))
    assert "clip00002" in message and "spec ids" in message and "audio" in message


def test_refuses_a_window_without_the_assembler_spec(tmp_path):
    message = refusal(tmp_path, lambda r: r["spec_ids"].pop("window"))
    assert "clip00002" in message and "window" in message


def test_refuses_nan_naming_the_clip_and_step(tmp_path):
    def plant_nan(r):
        r["text"] = {"rows": 2, "cols": 8, "values": [0.0] * 9 + [float("nan")] + [0.0] * 6}
    message = refusal(tmp_path, plant_nan)
    assert "clip00002" in message and "nan" in message.lower() and "step 1, column 1" in message


def test_refuses_inf(tmp_path):
    message = refusal(tmp_path, lambda r: r.update(video={"rows": 1, "cols": 6, "values": [float("inf")] * 6}))
    assert "clip00002" in message and "inf" in message.lower()


def test_refuses_wrong_column_count(tmp_path):
    message = refusal(tmp_path, lambda r: r.update(audio={"rows": 2, "cols": 4, "values": [0.0] * 8}))
    assert "clip00002" in message and "2x4" in message and "dims.audio = 5" in message


def test_refuses_more_steps_than_max_length(tmp_path):
    message = refusal(tmp_path, lambda r: r.update(video={"rows": 5, "cols": 6, "values": [0.0] * 30}))
    assert "clip00002" in message and "max_lengths.video = 4" in message


def test_refuses_unknown_label(tmp_path):
    message = refusal(tmp_path, lambda r: r.update(labels=["contempt"]))
    assert "clip00002" in message and "'contempt'" in message


def test_refuses_task_other_than_asked(tmp_path):
    write_dataset(tmp_path, SPEC, records())
    with pytest.raises(DatasetError, match="holds a dataset for task emotion, but --task genre was asked for: pass --task emotion"):
        load_dataset(tmp_path, task="genre")


def test_refuses_directory_without_dataset_json(tmp_path):
    with pytest.raises(DatasetError, match="dataset.json not found"):
        load_dataset(tmp_path)



def test_feature_stats_come_from_real_train_steps_only(tmp_path):
    spec = FakeSpec(n_windows=30, dims={"text": 8, "audio": 5, "video": 6},
                    max_lengths={"text": 7, "audio": 6, "video": 4},
                    missing_prob=0.2, raw_scales=True, seed=3)
    recs = list(fake_windows(spec))
    for r in recs:  # audio column 0 constant on train: it must be centred, not divided by ~0
        if r["split"] == "train" and r["audio"]["rows"]:
            x = np.array(r["audio"]["values"], dtype=np.float32).reshape(r["audio"]["rows"], -1)
            x[:, 0] = -100.0
            r["audio"]["values"] = x.ravel().tolist()
    dataset = load_dataset(write_dataset(tmp_path / "a", spec, recs))
    stats = feature_stats(dataset, dataset.indices("train"))
    for m in ("text", "audio", "video"):
        real = np.concatenate([np.array(r[m]["values"], dtype=np.float64).reshape(r[m]["rows"], -1)
                               for r in recs if r["split"] == "train" and r[m]["rows"]])
        std = real.std(axis=0)
        np.testing.assert_allclose(stats[m][0].numpy(), real.mean(axis=0), rtol=1e-5, atol=1e-4)
        np.testing.assert_allclose(stats[m][1].numpy(), np.where(std < 1e-3, 1.0, std), rtol=1e-5)
        assert stats[m][1].min() > 1e-3 and (stats[m][1] - 1).abs().max() > 0.5, "raw scales should show in the std"
    assert stats["audio"][0][0] == -100.0 and stats["audio"][1][0] == 1.0

    for r in recs:  # val and test windows wildly different: the stats must not move
        if r["split"] != "train":
            for m in ("text", "audio", "video"):
                r[m]["values"] = [v * 1000 + 777 for v in r[m]["values"]]
    shifted = load_dataset(write_dataset(tmp_path / "b", spec, recs))
    again = feature_stats(shifted, shifted.indices("train"))
    for m in ("text", "audio", "video"):
        np.testing.assert_array_equal(again[m][0].numpy(), stats[m][0].numpy())
        np.testing.assert_array_equal(again[m][1].numpy(), stats[m][1].numpy())


def test_feature_stats_of_a_modality_without_real_steps_are_the_identity(tmp_path):
    recs = records()
    for r in recs:
        r["video"] = {"rows": 0, "cols": SPEC.dims["video"], "values": []}
    dataset = load_dataset(write_dataset(tmp_path, SPEC, recs))
    mean, std = feature_stats(dataset, dataset.indices("train"))["video"]
    assert (mean == 0).all() and (std == 1).all()


def test_augmented_copies_are_training_data_only(tmp_path):
    """A speed copy of a recording stays out of val and test, also when a fold makes its speaker test."""
    from mmstream_training.train import regroup

    spec = FakeSpec(n_windows=60, dims={"text": 4, "audio": 3, "video": 2}, max_lengths={"text": 2, "audio": 2, "video": 2},
                    source="speech", seed=1)
    folder = write_dataset(tmp_path, spec)
    rows = (folder / "clips.csv").read_text().splitlines()
    marked = [rows[0] + ",augmented"] + [r + (",speed 0.9" if i % 2 else ",") for i, r in enumerate(rows[1:])]
    (folder / "clips.csv").write_text("\n".join(marked) + "\n")
    dataset = load_dataset(folder)
    augmented = np.array([bool(dataset.attribute(c, "augmented")) for c in dataset.clips])
    assert augmented.any() and (dataset.splits[augmented & (dataset.splits != "excluded")] == "train").all()
    assert (dataset.splits[augmented] == "excluded").any()
    fold = regroup(dataset, ("group-1",), ("group-0",))
    groups = np.array([fold.attribute(c, "group") for c in fold.clips])
    assert set(fold.splits[augmented & (groups == "group-0")]) == {"excluded"}
    assert set(fold.splits[~augmented & (groups == "group-0")]) == {"test"}
    assert set(fold.splits[augmented & (groups == "group-2")]) == {"train"}


# Catalogue inputs: one poster and one metadata vector per (genre) window, each optional.
CATALOGUE_SPEC = FakeSpec(n_windows=30, task="genre", labels=("action", "comedy", "drama"),
                          dims={"text": 8, "audio": 5, "video": 6}, max_lengths={"text": 7, "audio": 6, "video": 4},
                          catalogue_dims={"poster": 6, "metadata": 11}, seed=5)


def catalogue_refusal(tmp_path, edit) -> str:
    recs = list(fake_windows(CATALOGUE_SPEC))
    edit(recs[12])
    write_dataset(tmp_path, CATALOGUE_SPEC, recs)
    with pytest.raises(DatasetError) as e:
        load_dataset(tmp_path)
    return str(e.value)


def present_entry(r) -> dict:
    """Window r's catalogue with both inputs present (the fake draws some absent)."""
    entry = r["catalogue"]
    for c, dim in CATALOGUE_SPEC.catalogue_dims.items():
        entry[c] = entry[c] or [0.5] * dim
        entry["spec_ids"][c] = CATALOGUE_SPEC.catalogue_spec_ids()[c]
    return entry


def test_reads_catalogue_vectors_zero_where_absent_with_their_presence(tmp_path):
    recs = list(fake_windows(CATALOGUE_SPEC))
    recs[3]["catalogue"] = None  # a trailer without any catalogue entry
    dataset = load_dataset(write_dataset(tmp_path, CATALOGUE_SPEC, recs))
    assert dataset.info.catalogue_dims == {"poster": 6, "metadata": 11}
    assert dataset.info.catalogue_spec_ids == CATALOGUE_SPEC.catalogue_spec_ids()
    batch = dataset.batch(np.arange(30))
    for c, dim in CATALOGUE_SPEC.catalogue_dims.items():
        present = np.array([r["catalogue"] is not None and r["catalogue"][c] is not None for r in recs])
        assert 0 < present.sum() < 30, "the spec should draw both present and absent vectors"
        np.testing.assert_array_equal(batch.catalogue_masks[c].numpy(), present)
        assert batch.catalogue[c].shape == (30, dim) and (batch.catalogue[c][~present] == 0).all()
        first = int(np.flatnonzero(present)[0])
        np.testing.assert_array_equal(batch.catalogue[c][first].numpy(), np.float32(recs[first]["catalogue"][c]))
    inputs = batch.inputs(("poster", "metadata"))
    assert len(inputs) == 10 and inputs[6] is batch.catalogue["poster"] and inputs[9] is batch.catalogue_masks["metadata"]
    assert len(batch.inputs()) == 6
    cached = load_dataset(tmp_path)  # read back from the parsed-array cache
    np.testing.assert_array_equal(cached.catalogue["metadata"], dataset.catalogue["metadata"])
    np.testing.assert_array_equal(cached.catalogue_present["poster"], dataset.catalogue_present["poster"])


def test_a_dataset_without_catalogue_key_has_no_catalogue_inputs(tmp_path):
    dataset = load_dataset(write_dataset(tmp_path, SPEC, records()))
    assert "catalogue" not in (tmp_path / "dataset.json").read_text()
    assert dataset.info.catalogue_dims == {} and dataset.catalogue == {} and dataset.batch(np.arange(3)).catalogue == {}


def test_refuses_a_catalogue_vector_of_another_length_naming_the_window(tmp_path):
    message = catalogue_refusal(tmp_path, lambda r: present_entry(r).update(metadata=[0.0] * 10))
    assert "clip00002" in message and "catalogue metadata vector has 10 values" in message
    assert "catalogue.dims.metadata = 11" in message


def test_refuses_a_catalogue_spec_id_other_than_the_datasets(tmp_path):
    message = catalogue_refusal(tmp_path, lambda r: present_entry(r)["spec_ids"].update(poster="poster@v9"))
    assert "clip00002" in message and "poster@v9" in message and "poster@fake1" in message


def test_refuses_a_present_catalogue_vector_without_its_spec_id(tmp_path):
    message = catalogue_refusal(tmp_path, lambda r: present_entry(r)["spec_ids"].pop("poster"))
    assert "clip00002" in message and "catalogue poster spec id None" in message


def test_refuses_nan_in_a_catalogue_vector(tmp_path):
    message = catalogue_refusal(tmp_path, lambda r: present_entry(r)["poster"].__setitem__(2, float("nan")))
    assert "clip00002" in message and "catalogue poster value at column 2" in message


def test_refuses_catalogue_inputs_dataset_json_does_not_list(tmp_path):
    recs = list(fake_windows(CATALOGUE_SPEC))
    write_dataset(tmp_path, FakeSpec(**{**CATALOGUE_SPEC.__dict__, "catalogue_dims": {"poster": 6}}), recs)
    with pytest.raises(DatasetError, match=r"carries catalogue input\(s\) \['metadata'\].*catalogue has \['poster'\]"):
        load_dataset(tmp_path)


def test_combined_datasets_take_the_union_of_catalogue_inputs_and_refuse_disagreeing_ones(tmp_path):
    with_cat = write_dataset(tmp_path / "a", FakeSpec(**{**CATALOGUE_SPEC.__dict__, "source": "a"}))
    older = write_dataset(tmp_path / "b", FakeSpec(**{**CATALOGUE_SPEC.__dict__, "catalogue_dims": {},
                                                      "source": "b", "n_windows": 10}))
    both = load_datasets([with_cat, older])
    assert both.info.catalogue_dims == CATALOGUE_SPEC.catalogue_dims
    assert both.catalogue["poster"].shape == (40, 6)
    assert not both.catalogue_present["poster"][30:].any() and not both.catalogue_present["metadata"][30:].any()
    np.testing.assert_array_equal(both.catalogue["metadata"][:30], load_dataset(with_cat).catalogue["metadata"])
    other = write_dataset(tmp_path / "c", FakeSpec(**{**CATALOGUE_SPEC.__dict__, "source": "c",
                                                      "catalogue_dims": {"poster": 6, "metadata": 12}}))
    with pytest.raises(DatasetError, match="differ in catalogue input metadata"):
        load_datasets([with_cat, other])


def test_catalogue_stats_come_from_present_train_rows_only(tmp_path):
    dataset = load_dataset(write_dataset(tmp_path, CATALOGUE_SPEC))
    train = dataset.indices("train")
    stats = catalogue_stats(dataset, train, ("poster",))
    assert set(stats) == {"poster"}
    rows = dataset.catalogue["poster"][train][dataset.catalogue_present["poster"][train]]
    np.testing.assert_allclose(stats["poster"][0].numpy(), rows.mean(axis=0), atol=1e-5)
    np.testing.assert_allclose(stats["poster"][1].numpy(), rows.std(axis=0), atol=1e-5)
