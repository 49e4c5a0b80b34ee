"""Evaluates a trained model on datasets, with the thresholds chosen at training time: the pooled metrics of a
split and, per source, item-level tables in the layout of the seed paper's Tables 1-2.

  python -m mmstream_training.evaluate --model MODEL --data DATASET [--data DATASET2 ...] [--onnx] [--split test]
                                      [--retune]

MODEL is a folder written by `mmstream train` (PyTorch's model.pt, or with --onnx its ONNX file) or an .onnx file
such as models/pretrained/emotion.onnx, which runs in ONNX Runtime (what the streams app runs), reading task,
labels, thresholds and spec ids from the file's own metadata. --retune instead tunes each source's thresholds on
that source's own validation items (F1 per label): what a deployment that tunes on its own labelled data gets,
and how much of a gap is the shared thresholds rather than the scores."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort

from mmstream_training import CATALOGUE
from mmstream_training.data import Dataset, DatasetError, load_datasets
from mmstream_training.export_onnx import OUTPUTS, input_names, read_metadata
from mmstream_training.inference import BUNDLE, load_bundle, pick_device, predict
from mmstream_training.metrics import fullest_windows, source_metrics, task_metrics, tune_thresholds, window_thresholds
from mmstream_training.report import metrics_markdown
from mmstream_training.tables import emotion_table

ONNX_NAMES = ("model.onnx", "emotion.onnx", "genre.onnx")


def check_compatible(dataset: Dataset, task: str, labels: list[str], spec_ids: dict[str, str], source: str,
                     catalogue: tuple[str, ...] = ()) -> None:
    """The model's task, labels and spec ids (those of its catalogue inputs included) must be the dataset's."""
    info = dataset.info
    missing = [c for c in catalogue if c not in info.catalogue_dims]
    if missing:
        raise DatasetError(f"{source} takes catalogue input(s) {missing} but {info.path} has none such "
                           f"(dataset.json catalogue: {sorted(info.catalogue_dims) or 'none'}); extract the dataset "
                           "with its catalogue inputs")
    dataset_ids = {**info.spec_ids, **{c: info.catalogue_spec_ids[c] for c in catalogue}}
    if info.task != task:
        raise DatasetError(f"{source} is a {task} model but {info.path} is a {info.task} dataset")
    if list(info.labels) != list(labels):
        raise DatasetError(f"{source} predicts labels {labels} but {info.path} has {list(info.labels)}")
    if dataset_ids != spec_ids:
        differ = {k: (spec_ids.get(k), dataset_ids.get(k)) for k in set(spec_ids) | set(dataset_ids)
                  if spec_ids.get(k) != dataset_ids.get(k)}
        raise DatasetError(f"{source} was trained on other features than {info.path} holds (model, dataset): {differ}; "
                           "extract the dataset with the model's feature settings")


def onnx_catalogue(session: ort.InferenceSession) -> tuple[str, ...]:
    """The catalogue inputs an exported model takes (its extra ONNX inputs), in input order."""
    names = {i.name for i in session.get_inputs()}
    return tuple(c for c in CATALOGUE if c in names)


def predict_onnx(path: Path, dataset: Dataset, indices: np.ndarray, batch_size: int = 256) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    catalogue = onnx_catalogue(session)
    probs = [np.zeros((0, len(dataset.info.labels)), np.float32)]
    for start in range(0, len(indices), batch_size):
        batch = dataset.batch(indices[start : start + batch_size], pad_to_max=True)  # exactly what serving feeds
        feed = {name: t.numpy() for name, t in zip(input_names(catalogue), batch.inputs(catalogue))}
        probs.append(session.run([OUTPUTS[0]], feed)[0])
    return np.concatenate(probs)


def onnx_file(model: Path, use_onnx: bool) -> Path | None:
    """The ONNX file to run: MODEL itself, or in a folder the first ONNX file when --onnx is given or there is no
    PyTorch bundle. None: run PyTorch's model.pt."""
    if model.is_file():
        if model.suffix != ".onnx":
            raise SystemExit(f"--model {model} is neither a model folder nor an .onnx file")
        return model
    if not model.is_dir():
        raise SystemExit(f"--model {model} does not exist: give a folder written by `mmstream train` or an .onnx file")
    if use_onnx or not (model / BUNDLE).is_file():
        for name in ONNX_NAMES:
            if (model / name).is_file():
                return model / name
        raise SystemExit(f"{model} holds no {' / '.join(ONNX_NAMES)}: train with export enabled, or point --model at "
                         "an .onnx file")
    return None


def evaluate(model_path: Path | str, data, use_onnx: bool = False, split: str = "test", device: str = "auto",
             retune: bool = False) -> dict:
    """Pooled metrics of `split` plus "sources": item-level metrics per source; `data` is one folder or several.
    With `retune`, each source's items are decided by thresholds tuned on that source's validation items."""
    model_path = Path(model_path)
    path = onnx_file(model_path, use_onnx)
    if path is not None:
        meta = read_metadata(path)
        task, labels = meta["task"], json.loads(meta["labels"])
        thresholds, spec_ids = np.array(json.loads(meta["thresholds"])), json.loads(meta["spec_ids"])
        by_set = json.loads(meta.get("thresholds_by_modalities", "{}"))
        catalogue = tuple(c for c in CATALOGUE if c in json.loads(meta.get("catalogue_dims", "{}")))
        source = str(path)
    else:
        dev = pick_device(device)
        model, bundle = load_bundle(model_path, dev)
        task, labels, spec_ids = bundle["task"], bundle["labels"], bundle["spec_ids"]
        thresholds, source = np.array(bundle["thresholds"]), str(model_path / BUNDLE)
        by_set = bundle.get("thresholds_by_modalities", {})
        catalogue = model.cfg.catalogue
    dataset = load_datasets([data] if isinstance(data, (str, Path)) else list(data))
    check_compatible(dataset, task, labels, spec_ids, source, catalogue)
    indices = np.flatnonzero(dataset.splits != "excluded") if split == "all" else dataset.indices(split)
    if len(indices) == 0:
        raise DatasetError(f"no window of {', '.join(dataset.source_names())} is in the {split!r} split")
    def scores(idx: np.ndarray) -> np.ndarray:
        return predict_onnx(path, dataset, idx) if path is not None else predict(model, dataset, idx, dev)[0]

    probs = scores(indices)
    if by_set:  # as serving decides: each window by the thresholds of the modalities it holds
        thresholds = window_thresholds(thresholds, {k: np.array(v) for k, v in by_set.items()},
                                       dataset.modality_sets(indices))
    sources = {}
    for name in dataset.source_names():
        at = dataset.sources[indices] == name
        if at.any():
            clips = dataset.clips[indices][at]
            neutral = np.array([dataset.attribute(c, "source_label") == "neutral" for c in clips])
            decide = retuned(dataset, name, scores) if retune else thresholds[at] if thresholds.ndim == 2 else thresholds
            sources[name] = source_metrics(task, dataset.targets[indices][at], probs[at], decide, labels, clips,
                                           neutral, dataset.content(indices[at]))
    pooled = task_metrics(task, dataset.targets[indices], probs, thresholds, labels)
    return pooled | {"task": task, "labels": labels, "sources": sources}


def retuned(dataset: Dataset, source: str, scores) -> np.ndarray:
    """Thresholds tuned for F1 on the source's validation items (each clip by its fullest window)."""
    val = dataset.indices("val", source)
    if len(val) == 0:
        raise DatasetError(f"--retune: {source} has no validation windows to tune thresholds on")
    _, chosen = fullest_windows(dataset.clips[val], dataset.content(val))
    items = val[chosen]
    return tune_thresholds(dataset.targets[items], scores(items))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="mmstream evaluate", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--model", required=True, help="model folder written by `mmstream train`, or an .onnx file")
    p.add_argument("--data", required=True, action="append",
                   help="dataset folder written by `mmstream extract` (NAME=DIR names the source); repeatable")
    p.add_argument("--onnx", action="store_true", help="run the folder's ONNX file in ONNX Runtime instead of PyTorch")
    p.add_argument("--split", default="test", choices=["train", "val", "test", "all"],
                   help="which windows to score (all: every window, for a model that never saw the dataset)")
    p.add_argument("--device", default="auto", help="PyTorch device: cpu, cuda or auto")
    p.add_argument("--retune", action="store_true",
                   help="decide each source's items by thresholds tuned on that source's validation items")
    a = p.parse_args(argv)
    try:
        metrics = evaluate(a.model, a.data, a.onnx, a.split, a.device, a.retune)
    except DatasetError as e:
        print(f"mmstream evaluate: {e}", file=sys.stderr)
        return 1
    engine = "ONNX Runtime" if onnx_file(Path(a.model), a.onnx) else "PyTorch"
    print(metrics_markdown(metrics["task"], metrics, title=f"{a.split} metrics, all windows ({engine}, {a.model})"))
    for name, m in metrics["sources"].items():
        print()
        if metrics["task"] == "emotion":
            decided = "thresholds tuned on its validation items" if a.retune else "the model's thresholds"
            print(emotion_table(f"{name}, {a.split} split, items (each clip scored by its fullest window; {decided})",
                                [m], metrics["labels"]))
        else:
            print(metrics_markdown("genre", m, title=f"{name}, {a.split} split, items"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
