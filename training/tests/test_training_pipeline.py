"""End to end on tiny synthetic datasets: train -> report -> ONNX (contract, parity, fixture) -> evaluate,
resume, and the ablation table."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ holds the packages

import mmstream_training  # noqa: E402,F401  (sets OpenMP's wait policy before torch loads)
import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402

from mmstream_training import ablate, evaluate, quantize  # noqa: E402
from mmstream_training.data import (  # noqa: E402
    DatasetError, catalogue_stats, feature_stats, load_dataset, load_datasets,
)
from mmstream_training.data.fake import FakeSpec, write_dataset  # noqa: E402
from mmstream_training import train as train_cli  # noqa: E402
from mmstream_training.export_onnx import (  # noqa: E402
    FIXTURE, INPUTS, at_feature_scale, input_names, random_inputs, read_metadata,
)
from mmstream_training.inference import load_bundle  # noqa: E402
from mmstream_training.metrics import fullest_windows, tune_thresholds  # noqa: E402
from mmstream_training.train import TrainConfig, main as train  # noqa: E402

SPEC = FakeSpec(n_windows=60, dims={"text": 16, "audio": 7, "video": 10},
                max_lengths={"text": 8, "audio": 6, "video": 4}, signal=2.0, raw_scales=True, seed=7)
GENRES = ("action", "comedy", "drama", "horror")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("data"), SPEC)


@pytest.fixture(scope="module")
def trained(data, tmp_path_factory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("model")
    log: list[str] = []
    cfg = TrainConfig.for_task("emotion", data=str(data), out=str(out), max_epochs=2, d=16, batch_size=16, device="cpu")
    train(cfg, log=log.append)
    return out, log


def test_training_writes_model_report_and_onnx(trained):
    out, log = trained
    assert [line.split()[1] for line in log if line.startswith("epoch")] == ["1", "2"]
    assert any("ONNX Runtime parity" in line for line in log)
    report = (out / "report.md").read_text()
    for needle in ("mean_f1", "mean_roc_auc", "mean_balanced_accuracy", "curves.png", "pr_curves.png", "| anger |"):
        assert needle in report
    for png in ("curves.png", "pr_curves.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    checkpoint = torch.load(out / "checkpoint.pt", weights_only=False)
    assert checkpoint["train_config"]["task"] == "emotion" and len(checkpoint["git_commit"]) >= 7
    assert checkpoint["model_config"]["d"] == 16
    metrics = json.loads((out / "metrics.json").read_text())
    assert len(metrics["history"]) == 2 and 0 <= metrics["test"]["mean_roc_auc"] <= 1


def test_model_holds_normalization_fitted_on_the_train_split(trained, data):
    out, _ = trained
    model, _ = load_bundle(out)
    dataset = load_dataset(data)
    stats = feature_stats(dataset, dataset.indices("train"))
    for m in ("text", "audio", "video"):
        torch.testing.assert_close(model.encoders[m].mean, stats[m][0], rtol=0, atol=0)
        torch.testing.assert_close(model.encoders[m].std, stats[m][1], rtol=0, atol=0)
        assert (model.encoders[m].std - 1).abs().max() > 0.5, "raw_scales data should give non-identity stats"


def test_onnx_file_follows_the_contract(trained, data):
    out, _ = trained
    proto = onnx.load(str(out / "emotion.onnx"))
    assert max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")) >= 17
    inputs = {i.name: i.type.tensor_type for i in proto.graph.input}
    assert list(inputs) == list(INPUTS)
    for name, t in inputs.items():
        dims = [d.dim_param or d.dim_value for d in t.shape.dim]
        if name.endswith("_mask"):
            assert t.elem_type == onnx.TensorProto.BOOL and len(dims) == 2
        else:
            assert t.elem_type == onnx.TensorProto.FLOAT and dims[2] == SPEC.dims[name]
        assert isinstance(dims[0], str) and isinstance(dims[1], str), f"{name}: batch and time must be dynamic"
    assert [o.name for o in proto.graph.output] == ["probs", "gates"]
    meta = {p.key: p.value for p in proto.metadata_props}
    assert meta["task"] == "emotion" and meta["architecture"] == "hybrid"
    assert json.loads(meta["labels"]) == list(SPEC.labels)
    assert len(json.loads(meta["thresholds"])) == len(SPEC.labels)
    assert json.loads(meta["spec_ids"]) == SPEC.spec_ids
    assert json.loads(meta["max_lengths"]) == SPEC.max_lengths and json.loads(meta["input_dims"]) == SPEC.dims
    assert json.loads(meta["gate_names"]) == ["text", "audio", "video", "early"]
    assert json.loads(meta["modalities"]) == ["text", "audio", "video"]
    assert meta["dataset_hash"] == json.loads((data / "dataset.json").read_text())["hash"]
    assert meta["model_name"] and meta["model_version"]
    assert (out / "emotion.onnx").stat().st_size < 5_000_000


@pytest.mark.parametrize("batch,lengths", [(1, {"text": 19, "audio": 2, "video": 9}), (64, {"text": 3, "audio": 30, "video": 1})])
def test_onnx_matches_pytorch_at_lengths_never_trained_on(trained, batch, lengths):
    out, _ = trained
    model, _ = load_bundle(out)
    session = ort.InferenceSession(str(out / "emotion.onnx"), providers=["CPUExecutionProvider"])
    feed = at_feature_scale(model, random_inputs(batch, lengths, SPEC.dims, torch.Generator().manual_seed(batch)))
    with torch.no_grad():
        expected = [t.numpy() for t in model(*feed)]
    got = session.run(["probs", "gates"], {n: t.numpy() for n, t in zip(INPUTS, feed)})
    for e, g in zip(expected, got):
        assert e.shape == g.shape and np.abs(e - g).max() < 1e-4


def test_fixture_reproduces_with_onnx_runtime(trained):
    out, _ = trained
    fixture = json.loads((out / FIXTURE).read_text())
    feed = {name: np.array(v["data"], dtype=bool if name.endswith("_mask") else np.float32).reshape(v["shape"])
            for name, v in fixture["inputs"].items()}
    assert not feed["video_mask"][1].any() and not feed["text_mask"][2].any()
    session = ort.InferenceSession(str(out / "emotion.onnx"), providers=["CPUExecutionProvider"])
    probs, gates = session.run(["probs", "gates"], feed)
    assert np.abs(probs.ravel() - fixture["outputs"]["probs"]["data"]).max() < fixture["tolerance"]
    assert np.abs(gates.ravel() - fixture["outputs"]["gates"]["data"]).max() < fixture["tolerance"]


def test_evaluate_gives_the_same_report_from_pytorch_and_onnx(trained, data, capsys):
    out, _ = trained
    torch_metrics = evaluate.evaluate(out, data, use_onnx=False, device="cpu")
    onnx_metrics = evaluate.evaluate(out, data, use_onnx=True)
    for key in ("mean_f1", "mean_roc_auc", "mean_balanced_accuracy"):
        assert abs(torch_metrics[key] - onnx_metrics[key]) < 1e-6
    saved = json.loads((out / "metrics.json").read_text())["test"]
    assert abs(saved["mean_roc_auc"] - torch_metrics["mean_roc_auc"]) < 1e-6
    evaluate.main(["--model", str(out), "--data", str(data), "--onnx"])
    assert "| mean_f1 |" in capsys.readouterr().out


def test_evaluate_retune_decides_each_source_by_thresholds_tuned_on_its_own_validation_items(trained, data, capsys):
    out, _ = trained
    shared = evaluate.evaluate(out, data, use_onnx=True)["sources"]
    retuned = evaluate.evaluate(out, data, use_onnx=True, retune=True)["sources"]
    dataset = load_datasets([data])
    for name, m in retuned.items():
        assert m["mean_roc_auc"] == pytest.approx(shared[name]["mean_roc_auc"])  # scores are the same; decisions move
        val = dataset.indices("val", name)
        _, chosen = fullest_windows(dataset.clips[val], dataset.content(val))
        tuned = tune_thresholds(dataset.targets[val[chosen]],
                                evaluate.predict_onnx(out / "emotion.onnx", dataset, val[chosen]))
        assert [m["per_label"][label]["threshold"] for label in dataset.info.labels] == pytest.approx(tuned.tolist())
    evaluate.main(["--model", str(out), "--data", str(data), "--retune"])
    assert "thresholds tuned on its validation items" in capsys.readouterr().out


def test_an_int8_copy_keeps_the_contract_and_scores_close_to_fp32(trained, data, tmp_path, capsys):
    out, _ = trained
    int8 = quantize.quantize_int8(out / "emotion.onnx", tmp_path / "model.int8.onnx")
    fp32_meta, int8_meta = read_metadata(out / "emotion.onnx"), read_metadata(int8)
    for key in ("task", "labels", "thresholds", "spec_ids", "max_lengths", "input_dims"):
        assert int8_meta[key] == fp32_meta[key]
    assert int8_meta["model_version"] == fp32_meta["model_version"] + "-int8"
    assert int8_meta["quantization"] == "int8-dynamic"
    ops = {n.op_type for n in onnx.load(str(int8)).graph.node}
    assert ops & {"DynamicQuantizeLinear", "MatMulInteger", "DynamicQuantizeMatMul"}, "nothing was quantized"
    for name, full, small in quantize.compare(out / "emotion.onnx", int8, [str(data)]):
        assert abs(small["mean_roc_auc"] - full["mean_roc_auc"]) < 0.05, name
    assert quantize.main(["--model", str(out / "emotion.onnx"), "--out", str(tmp_path / "q.onnx"), "--data", str(data)]) == 0
    assert "| mean_roc_auc fp32 | int8 | change" in capsys.readouterr().out.replace("source | ", "")


def test_the_model_records_how_its_windows_were_cut_and_sources_cut_otherwise_are_refused(trained, tmp_path):
    out, _ = trained
    assert json.loads(read_metadata(out / "emotion.onnx")["windowing"]) == {"kind": "hopping", "size_ms": 4000,
                                                                         "advance_ms": 1000}
    write_dataset(tmp_path / "a", FakeSpec(n_windows=20, seed=1))
    write_dataset(tmp_path / "b", FakeSpec(n_windows=20, seed=2, windowing={"kind": "hopping", "size_ms": 2000,
                                                                            "advance_ms": 1000}))
    with pytest.raises(DatasetError, match="differ in windowing"):
        load_datasets([f"a={tmp_path / 'a'}", f"b={tmp_path / 'b'}"])


def test_evaluate_refuses_a_dataset_with_other_features(trained, tmp_path):
    out, _ = trained
    other = FakeSpec(**{**SPEC.__dict__, "spec_ids": {**SPEC.spec_ids, "video": "faceapi7+256/scene37@2"}})
    write_dataset(tmp_path, other)
    with pytest.raises(DatasetError, match="scene37@2"):
        evaluate.evaluate(out, tmp_path, use_onnx=True)


def test_resume_continues_after_the_last_saved_epoch(data, tmp_path):
    base = dict(data=str(data), out=str(tmp_path), d=16, batch_size=16, device="cpu", export=False)
    train(TrainConfig.for_task("emotion", max_epochs=1, **base), log=lambda _: None)
    log: list[str] = []
    result = train(TrainConfig.for_task("emotion", max_epochs=2, **base), resume=True, log=log.append)
    assert any(line.startswith("resumed") and "after epoch 1" in line for line in log)
    assert [line.split()[1] for line in log if line.startswith("epoch")] == ["2"]
    assert result.epochs_run == 2
    with pytest.raises(SystemExit, match="other settings"):
        train(TrainConfig.for_task("emotion", max_epochs=3, **{**base, "d": 8}), resume=True, log=lambda _: None)


def test_ablation_runs_every_variant_and_tabulates(tmp_path):
    genre = FakeSpec(n_windows=30, task="genre", labels=GENRES, dims={"text": 8, "audio": 5, "video": 6},
                     max_lengths={"text": 5, "audio": 4, "video": 3}, seed=2)
    write_dataset(tmp_path / "data", genre)
    table = ablate.run("genre", str(tmp_path / "data"), tmp_path / "ablation", seeds=1, epochs=1, device="cpu",
                       log=lambda _: None)
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| model")]
    # No catalogue inputs in this dataset: the catalogue rows are left out, every other row is there.
    assert [r.split("|")[1].strip() for r in rows] == [v.name for v in ablate.VARIANTS if not v.catalogue]
    assert all(r.count("±") == 4 for r in rows)
    assert (tmp_path / "ablation" / "ablation.md").read_text().strip() == table


def test_ema_weights_are_what_is_selected_and_kept(data, tmp_path):
    cfg = TrainConfig.for_task("emotion", data=str(data), out=str(tmp_path), max_epochs=2, d=16, batch_size=16,
                               device="cpu", ema_epochs=1.0, export=False)
    train(cfg, log=lambda *a: None)
    checkpoint = torch.load(tmp_path / "checkpoint.pt", weights_only=False)
    ema = {k.removeprefix("module."): v for k, v in checkpoint["ema"].items() if k.startswith("module.")}
    raw = checkpoint["model"]
    best = checkpoint["best_model"]
    # the kept weights are the average's (epoch 2 or 1), not the last optimiser step's
    moved = [k for k in raw if raw[k].dtype.is_floating_point and not torch.equal(raw[k], ema[k])]
    assert moved, "the average should differ from the raw weights after a few steps"
    if checkpoint["state"]["best_epoch"] == 2:
        assert all(torch.equal(best[k], ema[k]) for k in best)


def test_moving_average_is_a_plain_mean_until_its_horizon_then_exponential():
    from mmstream_training.train import moving_average

    average = moving_average(4)  # decay 0.75
    a = torch.tensor([0.0])
    a = average(a, torch.tensor([3.0]), torch.tensor(1.0))  # second value: mean of 0 and 3
    assert a.item() == pytest.approx(1.5)
    a = average(a, torch.tensor([3.0]), torch.tensor(2.0))  # third: mean of 0, 3, 3
    assert a.item() == pytest.approx(2.0)
    a = average(a, torch.tensor([10.0]), torch.tensor(9.0))  # past the horizon: 0.75 * 2 + 0.25 * 10
    assert a.item() == pytest.approx(4.0)


def test_late_heads_loss_counts_only_present_modalities():
    from mmstream_training.train import late_head_loss

    targets = torch.tensor([[1.0, 0.0]])
    good = torch.tensor([[[9.0, -9.0], [9.0, -9.0], [-9.0, 9.0]]])  # text and audio right, video wrong
    weights = torch.ones(2)
    with_video = late_head_loss(good, torch.tensor([[True, True, True]]), targets, weights)
    without_video = late_head_loss(good, torch.tensor([[True, True, False]]), targets, weights)
    assert without_video < 0.001 < with_video  # an absent modality's head is not asked to predict anything


def test_ablation_in_parallel_processes_gives_the_same_table(tmp_path, data):
    one = ablate.run("emotion", str(data), tmp_path / "one", seeds=1, epochs=1, device="cpu")
    two = ablate.run("emotion", str(data), tmp_path / "two", seeds=1, epochs=1, device="cpu", jobs=2)
    assert two == one  # seeded runs: the same numbers whichever process trains them


def test_ablation_resume_reuses_finished_runs_and_continues_interrupted_ones(tmp_path, data):
    first = ablate.run("emotion", str(data), tmp_path / "a", seeds=1, epochs=1, device="cpu", log=lambda _: None)
    hybrid = tmp_path / "a" / "hybrid" / "seed0"
    (hybrid / "metrics.json").unlink()  # as if stopped after its last epoch's checkpoint
    log = []
    again = ablate.run("emotion", str(data), tmp_path / "a", seeds=1, epochs=1, device="cpu", log=log.append,
                       resume=True)
    assert again == first  # the same numbers whether read back, resumed or trained straight through
    assert sum("reusing the finished run" in line for line in log) == sum(not v.catalogue for v in ablate.VARIANTS) - 1
    assert any(line.startswith("resumed from") and str(hybrid) in line for line in log)
    assert (hybrid / "metrics.json").is_file()


def test_sources_without_some_modality_train_evaluate_and_ablate(tmp_path):
    """A speech-only and a text-only dataset, as the real corpora are: one model on both, with every source's
    item-level metrics, leave-one-group-out splits, evaluation of the ONNX file, and an ablation that skips what
    cannot be trained."""
    speech = write_dataset(tmp_path / "speech", FakeSpec(**{**SPEC.__dict__, "absent": ("text", "video"),
                                                            "source": "speech", "seed": 3}))
    chat = write_dataset(tmp_path / "chat", FakeSpec(**{**SPEC.__dict__, "absent": ("audio", "video"),
                                                         "source": "chat", "seed": 4}))
    assert json.loads((speech / "dataset.json").read_text())["dims"]["video"] == SPEC.dims["video"]
    out = tmp_path / "model"
    result = train(TrainConfig.for_task("emotion", data=(str(speech), str(chat)), out=str(out), d=16, batch_size=16,
                                        max_epochs=2, device="cpu", epoch_windows=64,
                                        test_groups=("group-0",), val_groups=("group-1",)), log=lambda _: None)
    assert set(result.test_sources) == {"speech", "chat"}
    assert result.test_sources["speech"]["items"] == 4  # clips 0, 3, 6, 9 of 12: group-0
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["summary"]["thresholds_by_modalities"]) <= {"audio", "text"}
    evaluated = evaluate.evaluate(out / "emotion.onnx", [str(speech)])
    assert set(evaluated["sources"]) == {"speech"} and np.isfinite(evaluated["sources"]["speech"]["mean_roc_auc"])
    table = ablate.run("emotion", [str(speech)], tmp_path / "ablation", seeds=1, epochs=1, device="cpu",
                       log=lambda _: None)
    assert "text (not trained: no window has text)" in table and "| audio |" in table
    assert not (tmp_path / "ablation" / "text").exists()


CATALOGUE_SPEC = FakeSpec(n_windows=30, task="genre", labels=GENRES, dims={"text": 8, "audio": 5, "video": 6},
                          max_lengths={"text": 5, "audio": 4, "video": 3}, catalogue_dims={"poster": 6, "metadata": 10},
                          signal=2.0, raw_scales=True, seed=2)


def test_a_model_with_catalogue_inputs_trains_exports_and_evaluates_alike_in_pytorch_and_onnx(tmp_path):
    data = write_dataset(tmp_path / "data", CATALOGUE_SPEC)
    out = tmp_path / "model"
    cfg = TrainConfig.for_task("genre", data=str(data), out=str(out), catalogue=("poster", "metadata"), max_epochs=1,
                               d=8, n_heads=2, batch_size=16, device="cpu")
    train(cfg, log=lambda _: None)
    model, bundle = load_bundle(out)
    dataset = load_dataset(data)
    stats = catalogue_stats(dataset, dataset.indices("train"), ("poster", "metadata"))
    torch.testing.assert_close(model.catalogue_encoders["metadata"].std, stats["metadata"][1], rtol=0, atol=0)
    proto = onnx.load(str(out / "genre.onnx"))
    assert [i.name for i in proto.graph.input] == [*INPUTS, "poster", "poster_mask", "metadata", "metadata_mask"]
    meta = read_metadata(out / "genre.onnx")
    assert json.loads(meta["catalogue_dims"]) == {"poster": 6, "metadata": 10}
    assert json.loads(meta["spec_ids"]) == {**CATALOGUE_SPEC.spec_ids, **CATALOGUE_SPEC.catalogue_spec_ids()}
    assert json.loads(meta["gate_names"]) == ["text", "audio", "video", "poster", "metadata", "early"]
    # Parity on the dataset's own windows, present and absent catalogue rows in one batch.
    batch = dataset.batch(np.arange(len(dataset)))
    assert batch.catalogue_masks["poster"].any() and not batch.catalogue_masks["poster"].all()
    feed = batch.inputs(model.cfg.catalogue)
    with torch.no_grad():
        expected = [t.numpy() for t in model(*feed)]
    session = ort.InferenceSession(str(out / "genre.onnx"), providers=["CPUExecutionProvider"])
    got = session.run(["probs", "gates"], {n: t.numpy() for n, t in zip(input_names(model.cfg.catalogue), feed)})
    for e, g in zip(expected, got):
        assert np.abs(e - g).max() < 1e-4
    torch_metrics = evaluate.evaluate(out, data, use_onnx=False, device="cpu")
    onnx_metrics = evaluate.evaluate(out, data, use_onnx=True)
    assert abs(torch_metrics["micro_ap"] - onnx_metrics["micro_ap"]) < 1e-6
    fixture = json.loads((out / FIXTURE).read_text())
    fixture_feed = {name: np.array(v["data"], dtype=bool if name.endswith("_mask") else np.float32).reshape(v["shape"])
                    for name, v in fixture["inputs"].items()}
    probs, _ = session.run(["probs", "gates"], fixture_feed)
    assert np.abs(probs.ravel() - fixture["outputs"]["probs"]["data"]).max() < fixture["tolerance"]


def test_catalogue_inputs_need_a_genre_dataset_that_lists_them(tmp_path):
    plain = write_dataset(tmp_path / "plain", FakeSpec(**{**CATALOGUE_SPEC.__dict__, "catalogue_dims": {}}))
    cfg = TrainConfig.for_task("genre", data=str(plain), out=str(tmp_path / "m"), catalogue=("poster",), max_epochs=1,
                               d=8, n_heads=2, device="cpu")
    with pytest.raises(DatasetError, match="has no catalogue input poster"):
        train(cfg, log=lambda _: None)
    with pytest.raises(SystemExit):
        train_cli.parse_args(["--task", "emotion", "--data", "x", "--out", "y", "--catalogue", "poster"])
    with pytest.raises(SystemExit):
        train_cli.parse_args(["--task", "genre", "--data", "x", "--out", "y", "--catalogue", "cover"])
    parsed, _, _ = train_cli.parse_args(["--task", "genre", "--data", "x", "--out", "y", "--catalogue", "metadata,poster"])
    assert parsed.catalogue == ("poster", "metadata")
    assert train_cli.parse_args(["--task", "genre", "--data", "x", "--out", "y"])[0].catalogue == ()


def test_ablation_rows_are_chosen_by_key_or_alias_each_in_its_own_folder(tmp_path):
    assert [v.key for v in ablate.select_rows("catalogue")] == [
        "baseline", "hybrid", "baseline+poster+metadata", "hybrid+poster", "hybrid+metadata", "hybrid+poster+metadata"]
    assert [v.key for v in ablate.select_rows("hybrid,text")] == ["text", "hybrid"]  # the table's order
    assert ablate.select_rows(None) == ablate.VARIANTS
    with pytest.raises(ValueError, match="unknown row 'poster'"):
        ablate.select_rows("poster")
    data = write_dataset(tmp_path / "data", CATALOGUE_SPEC)
    table = ablate.run("genre", str(data), tmp_path / "ablation", seeds=1, epochs=1, device="cpu",
                       log=lambda _: None, rows="hybrid+poster,hybrid+metadata")
    rows = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ") and "model" not in line]
    assert rows == ["hybrid + poster", "hybrid + metadata"]
    assert (tmp_path / "ablation" / "hybrid+poster" / "seed0" / "metrics.json").is_file()
    assert (tmp_path / "ablation" / "hybrid+metadata" / "seed0" / "metrics.json").is_file()
    plain = write_dataset(tmp_path / "plain", FakeSpec(**{**CATALOGUE_SPEC.__dict__, "catalogue_dims": {}}))
    with pytest.raises(DatasetError, match="needs catalogue inputs"):
        ablate.run("genre", str(plain), tmp_path / "none", seeds=1, epochs=1, device="cpu", rows="catalogue")
    with pytest.raises(SystemExit):  # argparse's usage error
        ablate.main(["--task", "genre", "--data", str(plain), "--out", str(tmp_path / "x"), "--rows", "nope"])
