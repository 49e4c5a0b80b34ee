"""The serving model's cost per window in three runtimes on the same weights: PyTorch eager, ONNX Runtime from
Python and (measured by the launcher's Java step) ONNX Runtime from Java, at batch 1, 8 and 64, fp32 and int8.

  python -m mmstream_training.bench_model prepare --out DIR          # the models, once
  python -m mmstream_training.bench_model python --out DIR [--seconds S]
  python -m mmstream_training.bench_model report --out DIR           # the table with ratios

The model is the shipped architecture at serving size (hybrid, d=32, 4 heads, the live features' dims 384/67/295
and lengths 48/40/20), untrained and seeded: its cost does not depend on its weights. Every runtime gets one
intra-op thread and the same inputs (every window at its max lengths, the worst case); a figure is the median
run's time divided by the batch."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from mmstream_training.export_onnx import INPUTS, OUTPUTS, export
from mmstream_training.models import FusionModel, ModelConfig
from mmstream_training.quantize import quantize_int8

DIMS = {"text": 384, "audio": 67, "video": 295}
LENGTHS = {"text": 48, "audio": 40, "video": 20}
BATCHES = (1, 8, 64)
SPEC_IDS = {  # the live featurizers' ids, so the Java side accepts the model as it would a trained one
    "text": "text.minilm-l6-v2-tokens@v1(model=all-minilm-l6-v2,max_tokens=128,timing=char-proportional)",
    "audio": "audio.logmel-prosody@v1(sr=16000,win=400,hop=160,mels=64,fmin=0,fmax=8000,pitch=yin)",
    "video": "video.face-scene@v2(detector=blazeface-front128,detect_every=2,min_score=0.6,crop=1.2,"
             "expr=face-api-1.7.15,hist=h12s4v4,cut=0.5)",
    "window": "window@v1(text=48,audio=40x100ms,video=20,pool=mean)",
}


def model() -> FusionModel:
    torch.manual_seed(0)
    return FusionModel(ModelConfig(input_dims=DIMS, n_labels=6, arch="hybrid", d=32, n_heads=4)).eval()


def prepare(out: Path) -> None:
    fp32, int8 = out / "model-fp32.onnx", out / "model-int8.onnx"
    if fp32.is_file() and int8.is_file():
        return
    m = model()
    metadata = {"task": "emotion", "labels": ["anger", "disgust", "fear", "happy", "sad", "surprise"],
                "thresholds": [0.5] * 6, "spec_ids": SPEC_IDS, "max_lengths": LENGTHS, "input_dims": DIMS,
                "gate_names": list(m.cfg.gate_names), "model_name": "mmstream-emotion-bench",
                "model_version": "20260101000000-bench", "dataset_hash": "none",
                "modalities": ["text", "audio", "video"], "git_commit": "bench", "architecture": "hybrid"}
    out.mkdir(parents=True, exist_ok=True)
    export(m, fp32, metadata, LENGTHS)
    quantize_int8(fp32, int8)


def inputs(batch: int) -> tuple[torch.Tensor, ...]:
    gen = torch.Generator().manual_seed(batch)
    features = [torch.randn(batch, LENGTHS[m], DIMS[m], generator=gen) for m in DIMS]
    masks = [torch.ones(batch, LENGTHS[m], dtype=torch.bool) for m in DIMS]
    return (*features, *masks)


def median_ms(run, seconds: float) -> float:
    run()  # warm-up
    times, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def time_python(out: Path, seconds: float) -> dict:
    torch.set_num_threads(1)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.inter_op_num_threads = 1, 1
    sessions = {dtype: ort.InferenceSession(str(out / f"model-{dtype}.onnx"), opts, providers=["CPUExecutionProvider"])
                for dtype in ("fp32", "int8")}
    eager = model()
    result = {}
    for b in BATCHES:
        x = inputs(b)
        feed = {n: t.numpy() for n, t in zip(INPUTS, x)}
        for dtype, session in sessions.items():
            result[f"ort-python/{dtype}/{b}"] = median_ms(lambda: session.run(list(OUTPUTS), feed), seconds) / b
        with torch.no_grad():
            result[f"pytorch/fp32/{b}"] = median_ms(lambda: eager(*x), seconds) / b
    return result


def report(out: Path) -> str:
    py = json.loads((out / "python.json").read_text())
    java = json.loads((out / "java.json").read_text())
    rows = ["| batch | dtype | ORT Java ms/window | of which OrtSession.run | ORT Python ms/window | PyTorch eager ms/window "
            "| Java / Python | Java path / its run | PyTorch / Java |", "|---|---|---|---|---|---|---|---|---|"]
    for b in BATCHES:
        for dtype in ("fp32", "int8"):
            j, p = java[f"{dtype}/{b}"], py[f"ort-python/{dtype}/{b}"]
            run = java.get(f"{dtype}/{b}/session")
            t = py.get(f"pytorch/{dtype}/{b}")
            rows.append(f"| {b} | {dtype} | {j:.3f} | {f'{run:.3f}' if run else '–'} | {p:.3f} | {f'{t:.3f}' if t else '–'} "
                        f"| {j / p:.2f}x | {f'{j / run:.2f}x' if run else '–'} | {f'{t / j:.2f}x' if t else '–'} |")
    speed = [f"int8 / fp32 (ORT Java) at batch {b}: {java[f'int8/{b}'] / java[f'fp32/{b}']:.2f}x" for b in BATCHES]
    batching = f"batch 64 / batch 1 per window (ORT Java fp32): {java['fp32/64'] / java['fp32/1']:.2f}x"
    versions = f"ONNX Runtime: Python {ort.__version__}, Java {java.get('version', '?')}"
    return "\n".join(rows + [""] + speed + [batching, versions,
                                             "targets: Java / Python <= 1.2x; PyTorch / Java >= 4x at batch 1"])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="mmstream bench model", description=__doc__.split("\n\n")[0])
    p.add_argument("step", choices=("prepare", "python", "report"))
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seconds", type=float, default=5.0, help="time per runtime, dtype and batch")
    a = p.parse_args(argv)
    if a.step == "prepare":
        prepare(a.out)
    elif a.step == "python":
        (a.out / "python.json").write_text(json.dumps(time_python(a.out, a.seconds), indent=2))
    else:
        print(report(a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
