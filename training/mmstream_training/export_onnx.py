"""ONNX export with the contract the streams app checks: fixed I/O names, dynamic batch and time axes,
metadata in metadata_props, and ONNX Runtime parity against PyTorch asserted before the file is trusted.

Exported with the TorchScript exporter (dynamo=False) and gradients enabled: under torch.no_grad() PyTorch's
fused attention path cannot be exported (DEPENDENCIES.md), and dynamic axes are simplest with this exporter."""

from __future__ import annotations

import copy
import json
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch

from mmstream_training import MODALITIES
from mmstream_training.models import FusionModel

INPUTS = (*MODALITIES, *(f"{m}_mask" for m in MODALITIES))  # every model's; catalogue inputs follow (input_names)
OUTPUTS = ("probs", "gates")
OPSET = 17
PARITY_TOLERANCE = 1e-4
FIXTURE = "onnx_fixture.json"


class ParityError(AssertionError):
    """ONNX Runtime disagrees with PyTorch: the exported file must not be used."""


def input_names(catalogue: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The ONNX inputs of a model with these catalogue inputs: the six temporal ones, then per catalogue input c
    `c` (B,D_c) float and `c_mask` (B,) bool; the order of FusionModel.forward's arguments."""
    return (*INPUTS, *(name for c in catalogue for name in (c, f"{c}_mask")))


def export(model: FusionModel, path: Path, metadata: dict, max_lengths: dict[str, int], seed: int = 0) -> dict:
    """Writes `path` (+ the fixture beside it) and returns the measured parity {case: max abs diff}."""
    path = Path(path)
    model = copy.deepcopy(model).cpu().eval()
    dims = model.cfg.input_dims
    gen = torch.Generator().manual_seed(seed)
    names = input_names(model.cfg.catalogue)
    example = random_inputs(2, max_lengths, dims, gen, catalogue_dims(model))
    dynamic = {name: {0: "batch", 1: f"T_{name.removesuffix('_mask')}"} for name in INPUTS}
    dynamic.update({name: {0: "batch"} for name in names[len(INPUTS):]})  # catalogue inputs have no time axis
    dynamic.update({name: {0: "batch"} for name in OUTPUTS})
    with torch.enable_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
        torch.onnx.export(
            model, example, str(path), input_names=list(names), output_names=list(OUTPUTS),
            dynamic_axes=dynamic, opset_version=OPSET, dynamo=False, do_constant_folding=True,
        )
    proto = onnx.load(str(path))
    for key, value in metadata.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value if isinstance(value, str) else json.dumps(value)
    onnx.checker.check_model(proto)
    onnx.save(proto, str(path))
    parity = check_parity(model, path, max_lengths, gen)
    write_fixture(model, path.parent / FIXTURE, gen)
    return parity


def catalogue_dims(model: FusionModel) -> dict[str, int]:
    """The model's catalogue inputs and their widths, in input order."""
    return {c: model.cfg.catalogue_dims[c] for c in model.cfg.catalogue}


def read_metadata(path: Path) -> dict[str, str]:
    return {p.key: p.value for p in onnx.load(str(path), load_external_data=False).metadata_props}


def check_parity(model: FusionModel, path: Path, max_lengths: dict[str, int], gen: torch.Generator) -> dict:
    """Batch 1 and 64, at the training lengths and at lengths never seen in training (longer and shorter),
    with padding and absent modalities (and catalogue inputs present in some rows, absent in others), features at
    the training data's scale; raises ParityError above PARITY_TOLERANCE."""
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    longer = {m: t + 7 for m, t in max_lengths.items()}
    shorter = {m: max(1, t // 3) for m, t in max_lengths.items()}
    report = {}
    for batch in (1, 64):
        for name, lengths in (("max", max_lengths), ("longer", longer), ("shorter", shorter)):
            inputs = at_feature_scale(model, random_inputs(batch, lengths, model.cfg.input_dims, gen,
                                                            catalogue_dims(model)))
            diff = max_difference(model, session, inputs)
            report[f"batch{batch}_{name}"] = diff
            if not diff <= PARITY_TOLERANCE:
                raise ParityError(f"ONNX Runtime differs from PyTorch by {diff:.3g} at batch {batch}, {name} lengths")
    return report


def max_difference(model: FusionModel, session: ort.InferenceSession, inputs: tuple[torch.Tensor, ...]) -> float:
    with torch.no_grad():
        expected = [t.numpy() for t in model(*inputs)]
    got = session.run(list(OUTPUTS), {n: t.numpy() for n, t in zip(input_names(model.cfg.catalogue), inputs)})
    return max(float(np.abs(e - g).max()) for e, g in zip(expected, got))


def random_inputs(batch: int, lengths: dict[str, int], dims: dict[str, int], gen: torch.Generator,
                  catalogue: dict[str, int] | None = None):
    """Features N(0,1); each row keeps a random prefix of real steps, a fifth of the rows lack a modality
    (all-false mask) and the padded steps hold noise, which the model must ignore. Then per catalogue input
    (name: width) a vector N(0,1) and a mask: about half the rows lack it (noise behind a False mask), and
    in a batch of two or more row 0 has it and row 1 lacks it, so every batch mixes both."""
    features, masks = [], []
    for m in MODALITIES:
        t = lengths[m]
        features.append(torch.randn(batch, t, dims[m], generator=gen))
        real = torch.randint(1, t + 1, (batch, 1), generator=gen)
        real = torch.where(torch.rand(batch, 1, generator=gen) < 0.2, torch.zeros_like(real), real)
        masks.append(torch.arange(t).unsqueeze(0) < real)  # (B,T)
    extra = []
    for dim in (catalogue or {}).values():
        present = torch.rand(batch, generator=gen) < 0.5  # (B,)
        if batch >= 2:
            present[0], present[1] = True, False
        extra += [torch.randn(batch, dim, generator=gen), present]
    return (*features, *masks, *extra)


def at_feature_scale(model: FusionModel, inputs: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
    """Maps N(0,1) features to the raw scale of the training data (the model's normalization inverted), so
    parity is checked on values like those serving feeds rather than on values the model never sees."""
    features = [x * model.encoders[m].std + model.encoders[m].mean for m, x in zip(MODALITIES, inputs[:3])]
    catalogue = list(inputs[6:])
    for i, c in enumerate(model.cfg.catalogue):
        enc = model.catalogue_encoders[c]
        catalogue[2 * i] = catalogue[2 * i] * enc.std + enc.mean  # (B,D_c)
    return (*features, *inputs[3:6], *catalogue)


def write_fixture(model: FusionModel, path: Path, gen: torch.Generator) -> None:
    """A small input/output pair for the Java ONNX Runtime test: batch 3, short lengths; row 0 has every
    modality with some padding, row 1 lacks video, row 2 lacks text. Catalogue inputs, when the model takes
    them: row 0 has each, row 1 only the first, row 2 none (its rows hold noise). Arrays are flat, row-major."""
    lengths = {"text": 6, "audio": 8, "video": 4}
    features = [torch.randn(3, lengths[m], model.cfg.input_dims[m], generator=gen) for m in MODALITIES]
    real = {"text": (5, 6, 0), "audio": (8, 3, 7), "video": (4, 0, 2)}
    masks = [torch.arange(lengths[m]).unsqueeze(0) < torch.tensor(real[m]).unsqueeze(1) for m in MODALITIES]
    catalogue = []
    for i, c in enumerate(model.cfg.catalogue):
        catalogue += [torch.randn(3, model.cfg.catalogue_dims[c], generator=gen), torch.tensor([True, i == 0, False])]
    inputs = at_feature_scale(model, (*features, *masks, *catalogue))
    with torch.no_grad():
        probs, gates = model(*inputs)
    def entry(t: torch.Tensor) -> dict:
        return {"shape": list(t.shape), "data": t.flatten().tolist()}
    fixture = {
        "inputs": {name: entry(t) for name, t in zip(input_names(model.cfg.catalogue), inputs)},
        "outputs": {"probs": entry(probs), "gates": entry(gates)},
        "tolerance": PARITY_TOLERANCE,
    }
    path.write_text(json.dumps(fixture))
