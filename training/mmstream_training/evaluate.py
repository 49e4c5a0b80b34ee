"""Evaluates a trained model on a dataset's test split, with the thresholds tuned at training time.

  python -m mmstream_training.evaluate --model MODEL_DIR --data DATASET [--onnx] [--split test]

--onnx runs MODEL_DIR/model.onnx through ONNX Runtime (what the streams app runs) instead of PyTorch, reading
task, labels, thresholds and spec ids from the file's own metadata."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort

from mmstream_training.data import Dataset, DatasetError, load_dataset
from mmstream_training.export_onnx import INPUTS, OUTPUTS, read_metadata
from mmstream_training.inference import load_bundle, pick_device, predict
from mmstream_training.metrics import task_metrics
from mmstream_training.report import metrics_markdown


def check_compatible(dataset: Dataset, task: str, labels: list[str], spec_ids: dict[str, str], source: str) -> None:
    info = dataset.info
    if info.task != task:
        raise DatasetError(f"{source} is a {task} model but {info.path} is a {info.task} dataset")
    if list(info.labels) != list(labels):
        raise DatasetError(f"{source} predicts labels {labels} but {info.path} has {list(info.labels)}")
    if info.spec_ids != spec_ids:
        raise DatasetError(f"{source} was trained on features {spec_ids} but {info.path} holds {info.spec_ids}: "
                           "extract the dataset with the model's feature settings")


def predict_onnx(path: Path, dataset: Dataset, indices: np.ndarray, batch_size: int = 256) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    probs = []
    for start in range(0, len(indices), batch_size):
        batch = dataset.batch(indices[start : start + batch_size], pad_to_max=True)  # exactly what serving feeds
        feed = {name: t.numpy() for name, t in zip(INPUTS, batch.inputs())}
        probs.append(session.run([OUTPUTS[0]], feed)[0])
    return np.concatenate(probs)


def evaluate(model_dir: Path | str, data: Path | str, use_onnx: bool = False, split: str = "test",
             device: str = "auto") -> dict:
    model_dir = Path(model_dir)
    if use_onnx:
        path = model_dir / "model.onnx"
        if not path.is_file():
            raise SystemExit(f"{path} not found: train with export enabled first")
        meta = read_metadata(path)
        task, labels = meta["task"], json.loads(meta["labels"])
        thresholds, spec_ids = np.array(json.loads(meta["thresholds"])), json.loads(meta["spec_ids"])
        source = str(path)
    else:
        dev = pick_device(device)
        model, bundle = load_bundle(model_dir, dev)
        task, labels, spec_ids = bundle["task"], bundle["labels"], bundle["spec_ids"]
        thresholds, source = np.array(bundle["thresholds"]), str(model_dir / "model.pt")
    dataset = load_dataset(data)
    check_compatible(dataset, task, labels, spec_ids, source)
    indices = dataset.indices(split)
    probs = predict_onnx(path, dataset, indices) if use_onnx else predict(model, dataset, indices, dev)[0]
    return task_metrics(task, dataset.targets[indices], probs, thresholds, labels) | {"task": task}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="mmstream evaluate", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, help="model directory written by `mmstream train`")
    p.add_argument("--data", required=True, help="dataset directory written by `mmstream extract`")
    p.add_argument("--onnx", action="store_true", help="evaluate model.onnx with ONNX Runtime")
    p.add_argument("--split", default="test", choices=["train", "val", "test"])
    p.add_argument("--device", default="auto")
    a = p.parse_args(argv)
    metrics = evaluate(a.model, a.data, a.onnx, a.split, a.device)
    engine = "ONNX Runtime" if a.onnx else "PyTorch"
    print(metrics_markdown(metrics["task"], metrics, title=f"{a.split} metrics ({engine}, {a.model})"))


if __name__ == "__main__":
    main()
