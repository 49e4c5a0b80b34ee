"""INT8 dynamic quantisation of an exported model, with what it costs on the test splits.

  python -m mmstream_training.quantize --model MODEL.onnx [--out MODEL.int8.onnx] [--data DATASET ...]

The weights of the linear layers become int8 (ONNX Runtime's dynamic quantisation: activations are quantised on
the fly, per batch), so the file is about half the size and the matrix products run in int8. The metadata the
streams app reads (task, labels, thresholds, spec ids) is kept; model_version gains "-int8" so both files can
sit in one models folder without being taken for each other. With --data, both models are evaluated on the
datasets' test splits and the change per source is printed."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import onnx
from onnxruntime.quantization import QuantType, quantize_dynamic

from mmstream_training.data import DatasetError

QUANTIZATION = "int8-dynamic"


def quantize_int8(src: Path, dst: Path) -> Path:
    """Writes the int8 model to `dst` with `src`'s metadata, model_version suffixed, and quantization recorded."""
    meta = {p.key: p.value for p in onnx.load(str(src), load_external_data=False).metadata_props}
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "int8.onnx"
        quantize_dynamic(str(src), str(raw), weight_type=QuantType.QInt8)
        model = onnx.load(str(raw))
    meta["model_version"] = meta.get("model_version", "unknown") + "-int8"
    meta["quantization"] = QUANTIZATION
    del model.metadata_props[:]
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    dst.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(dst))
    return dst


def compare(fp32: Path, int8: Path, data: list[str]) -> list[tuple[str, dict, dict]]:
    """(source, fp32 item metrics, int8 item metrics) on the test splits."""
    from mmstream_training.evaluate import evaluate

    full, small = evaluate(fp32, data), evaluate(int8, data)
    return [(name, m, small["sources"][name]) for name, m in full["sources"].items()]


def change_table(rows: list[tuple[str, dict, dict]], keys=("mean_roc_auc", "mean_f1")) -> str:
    lines = ["| source | " + " | ".join(f"{k} fp32 | int8 | change" for k in keys) + " |",
             "|---|" + "---|---|---|" * len(keys)]
    for name, full, small in rows:
        cells = [f"{full[k]:.4f} | {small[k]:.4f} | {small[k] - full[k]:+.4f}" for k in keys]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="mmstream quantize", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--model", required=True, type=Path, help="an exported .onnx model (e.g. models/pretrained/emotion.onnx)")
    p.add_argument("--out", type=Path, help="where the int8 model goes (default: MODEL with .int8.onnx)")
    p.add_argument("--data", action="append", default=[],
                   help="a dataset folder (NAME=DIR names the source) to compare both models on its test split; repeatable")
    a = p.parse_args(argv)
    if a.model.suffix != ".onnx" or not a.model.is_file():
        print(f"mmstream quantize: --model {a.model} is not an .onnx file", file=sys.stderr)
        return 1
    out = a.out or a.model.with_suffix(".int8.onnx")
    quantize_int8(a.model, out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, from {a.model.stat().st_size / 1e6:.2f} MB)")
    if a.data:
        try:
            print(change_table(compare(a.model, out, a.data)))
        except DatasetError as e:
            print(f"mmstream quantize: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
