"""Fusion models: masks make padding and missing modalities inert, batch 1 works, a handful of windows overfit."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ holds the packages

import mmstream_training  # noqa: E402,F401  (sets OpenMP's wait policy before torch loads)
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from mmstream_training.models import FusionModel, ModelConfig  # noqa: E402
from mmstream_training.models.blocks import resample  # noqa: E402

DIMS = {"text": 12, "audio": 7, "video": 9}
MODALITIES = ("text", "audio", "video")


def model(arch: str, **kw) -> FusionModel:
    torch.manual_seed(0)
    return FusionModel(ModelConfig(input_dims=DIMS, n_labels=4, arch=arch, d=16, n_heads=4, **kw)).eval()


def inputs(b: int, lengths=(6, 5, 4), real=None, seed=1):
    """Features and prefix masks; real[m] = real steps per row (default: all)."""
    g = torch.Generator().manual_seed(seed)
    xs, ms = [], []
    for i, m in enumerate(MODALITIES):
        xs.append(torch.randn(b, lengths[i], DIMS[m], generator=g))
        n = torch.tensor(real[m]) if real and m in real else torch.full((b,), lengths[i])
        ms.append(torch.arange(lengths[i]).unsqueeze(0) < n.unsqueeze(1))
    return xs, ms


def run(net, xs, ms):
    with torch.no_grad():
        return net(*xs, *ms)


@pytest.mark.parametrize("arch", ["baseline", "hybrid"])
@pytest.mark.parametrize("missing", range(3))
def test_fully_masked_modality_has_no_effect_and_no_nan(arch, missing):
    net = model(arch)
    xs, ms = inputs(3)
    ms[missing][:] = False
    probs, gates = run(net, xs, ms)
    xs2 = [x.clone() for x in xs]
    xs2[missing] = torch.randn_like(xs[missing]) * 100  # wildly different values behind an all-false mask
    probs2, gates2 = run(net, xs2, ms)
    assert torch.isfinite(probs).all() and torch.isfinite(gates).all()
    torch.testing.assert_close(probs2, probs, rtol=0, atol=1e-6)
    torch.testing.assert_close(gates2, gates, rtol=0, atol=1e-6)
    assert (gates[:, missing] == 0).all() and (gates[:, [i for i in range(3) if i != missing]] > 0).all()
    present, _ = run(net, xs2, inputs(3)[1])
    assert not torch.allclose(present, probs), "the modality must matter when it is present"


@pytest.mark.parametrize("arch", ["baseline", "hybrid"])
def test_all_modalities_missing_gives_finite_output(arch):
    xs, ms = inputs(2)
    probs, gates = run(model(arch), xs, [torch.zeros_like(m) for m in ms])
    assert torch.isfinite(probs).all() and (gates == 0).all()


@pytest.mark.parametrize("arch", ["baseline", "hybrid"])
def test_batch_of_one_matches_the_same_window_inside_a_batch(arch):
    net = model(arch)
    xs, ms = inputs(4, real={"text": [6, 2, 0, 3], "audio": [5, 5, 1, 0], "video": [4, 0, 2, 1]})
    probs, gates = run(net, xs, ms)
    for i in range(4):
        p1, g1 = run(net, [x[i : i + 1] for x in xs], [m[i : i + 1] for m in ms])
        assert p1.shape == (1, 4) and g1.shape == (1, 3 + (arch == "hybrid"))
        torch.testing.assert_close(p1, probs[i : i + 1], rtol=0, atol=1e-5)


@pytest.mark.parametrize("arch", ["baseline", "hybrid"])
def test_padding_values_and_padding_length_are_ignored(arch):
    net = model(arch)
    real = {"text": [3, 6], "audio": [2, 5], "video": [1, 4]}
    xs, ms = inputs(2, real=real)
    probs, _ = run(net, xs, ms)
    noisy = [torch.where(m.unsqueeze(-1), x, torch.randn_like(x) * 50) for x, m in zip(xs, ms)]
    longer = [torch.cat([x, torch.randn(2, 3, x.shape[2])], 1) for x in noisy]  # 3 more padded steps
    longer_masks = [torch.cat([m, torch.zeros(2, 3, dtype=torch.bool)], 1) for m in ms]
    torch.testing.assert_close(run(net, noisy, ms)[0], probs, rtol=0, atol=1e-6)
    torch.testing.assert_close(run(net, longer, longer_masks)[0], probs, rtol=0, atol=1e-5)


def test_modalities_switched_off_in_config_are_ignored():
    net = model("hybrid", modalities=("text", "audio"))
    xs, ms = inputs(3)
    probs, gates = run(net, xs, ms)
    xs[2] = torch.randn_like(xs[2]) * 10
    torch.testing.assert_close(run(net, xs, ms)[0], probs, rtol=0, atol=1e-6)
    assert (gates[:, 2] == 0).all() and (gates[:, :2] > 0).all()


def test_resample_spreads_real_steps_over_the_grid():
    x = torch.tensor([[[1.0], [3.0], [99.0]]])  # two real steps, one padded
    mask = torch.tensor([[True, True, False]])
    y = resample(x, mask, 4)[0, :, 0]
    assert y[0] == 1.0 and y[-1] == 3.0 and (y[1:] >= y[:-1]).all(), y  # interpolates, never sees 99
    assert (resample(x, torch.zeros_like(mask), 4) == 0).all()
    constant = resample(torch.full((1, 10, 2), 5.0), torch.ones(1, 10, dtype=torch.bool), 3)
    torch.testing.assert_close(constant, torch.full((1, 3, 2), 5.0))


@pytest.mark.parametrize("arch", ["baseline", "hybrid"])
def test_overfits_a_handful_of_windows(arch):
    torch.manual_seed(0)
    net = FusionModel(ModelConfig(input_dims=DIMS, n_labels=4, arch=arch, d=16, n_heads=4, dropout=0.0))
    xs, ms = inputs(8, real={"text": [6, 2, 0, 3, 6, 1, 4, 5], "audio": [5] * 8, "video": [4, 0, 2, 1, 4, 3, 0, 2]})
    y = (torch.rand(8, 4, generator=torch.Generator().manual_seed(5)) < 0.5).float()
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    for _ in range(60):
        logits, _ = net.forward_logits(*xs, *ms)
        loss = F.binary_cross_entropy_with_logits(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    probs, _ = run(net.eval(), xs, ms)
    assert loss.item() < 0.05
    assert ((probs > 0.5).float() == y).all()


def fitted_stats(xs, ms):
    """Per-feature mean/std over the real steps of each modality, as train.py fits them."""
    stats = {}
    for m, x, mask in zip(MODALITIES, xs, ms):
        real = x[mask].double()  # (N_real,D)
        stats[m] = (real.mean(0).float(), real.std(0, unbiased=False).float())
    return stats


def test_normalization_starts_as_the_identity():
    net = model("hybrid")
    for m in MODALITIES:
        assert (net.encoders[m].mean == 0).all() and (net.encoders[m].std == 1).all()
        assert f"encoders.{m}.mean" in net.state_dict() and f"encoders.{m}.std" in net.state_dict()


@pytest.mark.parametrize("arch", ["baseline", "hybrid"])
def test_refitted_normalization_makes_outputs_invariant_to_per_feature_scale_and_shift(arch):
    net = model(arch)
    real = {"text": [6, 2, 0, 3, 6], "audio": [5, 5, 1, 0, 4], "video": [4, 0, 2, 1, 3]}
    xs, ms = inputs(5, real=real)
    net.set_normalization(fitted_stats(xs, ms))
    probs, gates = run(net, xs, ms)

    g = torch.Generator().manual_seed(9)
    raw = []
    for x, mask in zip(xs, ms):  # per column: scale 0.01..50, shift -100..100; padding gets other junk
        scale = 10 ** (torch.rand(x.shape[-1], generator=g) * 3.7 - 2)
        shift = torch.rand(x.shape[-1], generator=g) * 200 - 100
        raw.append(torch.where(mask.unsqueeze(-1), x * scale + shift, torch.randn(x.shape, generator=g) * 1e3))
    unfitted, _ = run(net, raw, ms)
    assert not torch.allclose(unfitted, probs, atol=1e-3), "the raw features must differ for the model"
    net.set_normalization(fitted_stats(raw, ms))
    probs2, gates2 = run(net, raw, ms)
    torch.testing.assert_close(probs2, probs, rtol=0, atol=1e-4)
    torch.testing.assert_close(gates2, gates, rtol=0, atol=1e-4)


def test_normalization_is_exported_and_onnx_matches_on_raw_features(tmp_path):
    from mmstream_training.export_onnx import export, INPUTS, OUTPUTS
    import onnxruntime as ort

    net = model("hybrid")
    g = torch.Generator().manual_seed(4)
    stats = {m: (torch.rand(DIMS[m], generator=g) * 100 - 50, 10 ** (torch.rand(DIMS[m], generator=g) * 3 - 1.5))
             for m in MODALITIES}
    net.set_normalization(stats)
    parity = export(net, tmp_path / "m.onnx", {"task": "emotion"}, {"text": 6, "audio": 5, "video": 4})
    assert max(parity.values()) <= 1e-4
    # Raw features at the stats' scale: ONNX must standardize them itself, exactly as PyTorch does.
    xs, ms = inputs(3, real={"text": [6, 2, 0], "audio": [5, 1, 3], "video": [4, 4, 0]})
    raw = [x * stats[m][1] + stats[m][0] for m, x in zip(MODALITIES, xs)]
    expected = run(net, raw, ms)
    session = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    got = session.run(list(OUTPUTS), {n: t.numpy() for n, t in zip(INPUTS, (*raw, *ms))})
    for e, o in zip(expected, got):
        np.testing.assert_allclose(o, e.numpy(), rtol=0, atol=1e-4)
    identity = model("hybrid")
    assert not torch.allclose(run(identity, raw, ms)[0], expected[0], atol=1e-3), "the stats must change outputs"


def test_skipping_a_switched_off_target_changes_no_output():
    # A switched-off modality pools to zero whether or not its attention stacks run: the shortcut that
    # makes unimodal ablations fast must give exactly what the masked computation gives.
    torch.manual_seed(5)
    net = model("baseline", modalities=("audio",))
    xs, ms = inputs(4)
    fast, gates = run(net, xs, ms)
    net.cfg = dataclasses.replace(net.cfg, modalities=MODALITIES)  # the full path; the `enabled` mask still hides text, video
    slow, slow_gates = run(net, xs, ms)
    assert torch.equal(fast, slow) and torch.equal(gates, slow_gates)


# Catalogue inputs: one vector per window each (poster, metadata), masked when absent.
CATALOGUE_DIMS = {"poster": 9, "metadata": 11}


def catalogue_model(arch: str, catalogue=("poster", "metadata")) -> FusionModel:
    torch.manual_seed(0)
    return FusionModel(ModelConfig(input_dims=DIMS, n_labels=4, arch=arch, d=16, n_heads=4, catalogue=catalogue,
                                   catalogue_dims=CATALOGUE_DIMS)).eval()


def catalogue_inputs(b: int, present: dict[str, list[bool]], seed=2) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    out = []
    for c, rows in present.items():
        out += [torch.randn(b, CATALOGUE_DIMS[c], generator=g), torch.tensor(rows)]
    return out


@pytest.mark.parametrize("arch", ["baseline", "hybrid"])
def test_absent_catalogue_rows_change_no_output_whatever_they_hold(arch):
    net = catalogue_model(arch)
    xs, ms = inputs(4, real={"text": [6, 2, 0, 3], "audio": [5, 5, 1, 0], "video": [4, 0, 2, 1]})
    cat = catalogue_inputs(4, {"poster": [True, False, True, False], "metadata": [False, False, True, True]})
    probs, gates = run(net, xs, ms + cat)
    junk = list(cat)
    junk[0] = torch.where(cat[1].unsqueeze(1), cat[0], torch.full_like(cat[0], float("inf")))  # absent poster: Inf
    junk[2] = torch.where(cat[3].unsqueeze(1), cat[2], torch.randn_like(cat[2]) * 1e4)  # absent metadata: noise
    probs2, gates2 = run(net, xs, ms + junk)
    assert torch.isfinite(probs2).all() and torch.isfinite(gates2).all()
    torch.testing.assert_close(probs2, probs, rtol=0, atol=1e-6)
    torch.testing.assert_close(gates2, gates, rtol=0, atol=1e-6)
    assert net.cfg.gate_names[:5] == ("text", "audio", "video", "poster", "metadata")
    assert (gates[:, 3] > 0).tolist() == [True, False, True, False] and (gates[:, 4] > 0).tolist() == [False, False, True, True]
    # A present poster (row 0) matters; changing the values behind row 1's absent poster does not.
    changed = list(cat)
    changed[0] = cat[0] + 3.0
    assert not torch.allclose(run(net, xs, ms + changed)[0][0], probs[0]), "a present poster must change the output"
    torch.testing.assert_close(run(net, xs, ms + changed)[0][1], probs[1], rtol=0, atol=1e-6)


@pytest.mark.parametrize("arch", ["baseline", "hybrid"])
def test_a_catalogue_model_needs_its_catalogue_tensors_and_a_batch_of_one_matches(arch):
    net = catalogue_model(arch, catalogue=("metadata",))
    xs, ms = inputs(3)
    cat = catalogue_inputs(3, {"metadata": [True, False, True]})
    with pytest.raises(AssertionError, match="catalogue inputs"):
        run(net, xs, ms)
    probs, gates = run(net, xs, ms + cat)
    assert gates.shape == (3, 4 + (arch == "hybrid"))
    for i in range(3):
        one = run(net, [x[i : i + 1] for x in xs], [m[i : i + 1] for m in ms] + [t[i : i + 1] for t in cat])[0]
        torch.testing.assert_close(one, probs[i : i + 1], rtol=0, atol=1e-5)


def test_hybrid_gives_each_catalogue_input_a_late_head_weighted_only_when_present():
    net = catalogue_model("hybrid")
    xs, ms = inputs(2)
    cat = catalogue_inputs(2, {"poster": [True, False], "metadata": [True, False]})
    with torch.no_grad():
        _, _, late, late_present = net.forward_heads(*xs, *ms, *cat)
    assert set(net.late_heads) == {"text", "audio", "video", "poster", "metadata"} and net.mix.shape == (6,)
    assert late.shape == (2, 5, 4) and late_present.tolist() == [[True] * 5, [True, True, True, False, False]]


def test_configs_and_weights_saved_before_catalogue_inputs_still_load():
    old = model("hybrid")
    saved = old.cfg.to_dict()
    for key in ("catalogue", "catalogue_dims"):
        del saved[key]  # a checkpoint written before the fields existed
    cfg = ModelConfig.from_dict(saved)
    assert cfg.catalogue == () and cfg.catalogue_dims == {} and cfg.gate_names == ("text", "audio", "video", "early")
    rebuilt = FusionModel(cfg)
    rebuilt.load_state_dict(old.state_dict())  # strict: no catalogue parameters appear without catalogue inputs
    xs, ms = inputs(2)
    torch.testing.assert_close(run(rebuilt.eval(), xs, ms)[0], run(old, xs, ms)[0], rtol=0, atol=0)
    assert ModelConfig.from_dict(catalogue_model("hybrid").cfg.to_dict()).catalogue == ("poster", "metadata")


def test_catalogue_config_is_checked():
    with pytest.raises(AssertionError, match="subset of"):
        ModelConfig(input_dims=DIMS, n_labels=4, catalogue=("metadata", "poster"), catalogue_dims=CATALOGUE_DIMS)
    with pytest.raises(AssertionError, match="catalogue_dims needs"):
        ModelConfig(input_dims=DIMS, n_labels=4, catalogue=("poster",))


def test_catalogue_model_exports_and_onnx_matches_with_present_and_absent_rows(tmp_path):
    from mmstream_training.export_onnx import export, input_names, OUTPUTS
    import onnx
    import onnxruntime as ort

    net = catalogue_model("hybrid")
    g = torch.Generator().manual_seed(4)
    stats = {c: (torch.rand(d, generator=g) * 100 - 50, 10 ** (torch.rand(d, generator=g) * 3 - 1.5))
             for c, d in CATALOGUE_DIMS.items()}
    net.set_normalization(stats)
    parity = export(net, tmp_path / "m.onnx", {"task": "genre"}, {"text": 6, "audio": 5, "video": 4})
    assert max(parity.values()) <= 1e-4
    proto = onnx.load(str(tmp_path / "m.onnx"))
    names = input_names(("poster", "metadata"))
    assert [i.name for i in proto.graph.input] == list(names)
    for value in proto.graph.input[6:]:
        t = value.type.tensor_type
        dims = [d.dim_param or d.dim_value for d in t.shape.dim]
        assert isinstance(dims[0], str), f"{value.name}: the batch axis must be dynamic"
        if value.name.endswith("_mask"):
            assert t.elem_type == onnx.TensorProto.BOOL and len(dims) == 1
        else:
            assert t.elem_type == onnx.TensorProto.FLOAT and dims[1] == CATALOGUE_DIMS[value.name]
    xs, ms = inputs(4, real={"text": [6, 2, 0, 3], "audio": [5, 1, 3, 0], "video": [4, 4, 0, 1]})
    cat = catalogue_inputs(4, {"poster": [True, False, True, False], "metadata": [True, True, False, False]})
    cat[0], cat[2] = cat[0] * stats["poster"][1] + stats["poster"][0], cat[2] * stats["metadata"][1] + stats["metadata"][0]
    cat[0][1], cat[2][2] = 0.0, 0.0  # absent rows: zeros, as serving feeds them
    expected = run(net, xs, ms + cat)
    session = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    got = session.run(list(OUTPUTS), {n: t.numpy() for n, t in zip(names, (*xs, *ms, *cat))})
    for e, o in zip(expected, got):
        np.testing.assert_allclose(o, e.numpy(), rtol=0, atol=1e-4)
    fixture = json.loads((tmp_path / "onnx_fixture.json").read_text())
    assert fixture["inputs"]["poster_mask"]["data"] == [True, True, False]
    assert fixture["inputs"]["metadata_mask"]["data"] == [True, False, False]
