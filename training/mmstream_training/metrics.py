"""The seed paper's metrics. Emotion (Tables 1-2): per-label F1, ROC-AUC and balanced accuracy at per-label
thresholds tuned on validation, plus their means. Genre (Table 3): micro, macro, samples and weighted average
precision. A label (or, for samples-AP, a window) without positives has no defined AUC/AP and is left out of
the averages; the per-label value is NaN and the report says so."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.metrics import average_precision_score, balanced_accuracy_score, f1_score, precision_recall_curve, roc_auc_score

HEADLINE = {
    "emotion": ("mean_f1", "mean_roc_auc", "mean_balanced_accuracy"),
    "genre": ("micro_ap", "macro_ap", "samples_ap", "weighted_ap"),
}


def tune_thresholds(y_true: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Per label, the threshold (predict positive when prob >= t) that maximises F1 on these windows;
    0.5 for a label without positives, where F1 cannot be maximised. (N,C), (N,C) -> (C,)."""
    thresholds = np.full(y_true.shape[1], 0.5)
    for c in range(y_true.shape[1]):
        if y_true[:, c].sum() == 0:
            continue
        precision, recall, cuts = precision_recall_curve(y_true[:, c], probs[:, c])
        f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)
        thresholds[c] = float(cuts[int(np.argmax(f1))])
    return thresholds


def emotion_metrics(y_true: np.ndarray, probs: np.ndarray, thresholds: np.ndarray, labels) -> dict:
    pred = probs >= thresholds[None, :]
    per_label = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns on single-class labels; we record NaN instead
        for c, name in enumerate(labels):
            y, p = y_true[:, c], pred[:, c]
            both = 0 < y.sum() < len(y)
            per_label[name] = {
                "f1": float(f1_score(y, p, zero_division=0)),
                "roc_auc": float(roc_auc_score(y, probs[:, c])) if both else float("nan"),
                "balanced_accuracy": float(balanced_accuracy_score(y, p)) if both else float("nan"),
                "threshold": float(thresholds[c]),
                "support": int(y.sum()),
            }
    means = {
        f"mean_{k}": _nanmean([v[k] for v in per_label.values()]) for k in ("f1", "roc_auc", "balanced_accuracy")
    }
    return {**means, "per_label": per_label}


def genre_metrics(y_true: np.ndarray, probs: np.ndarray, thresholds: np.ndarray, labels) -> dict:
    has_pos = y_true.sum(axis=0) > 0  # (C,)
    row_pos = y_true.sum(axis=1) > 0  # (N,)
    per_label = {
        name: {
            "ap": float(average_precision_score(y_true[:, c], probs[:, c])) if has_pos[c] else float("nan"),
            "f1": float(f1_score(y_true[:, c], probs[:, c] >= thresholds[c], zero_division=0)),
            "threshold": float(thresholds[c]),
            "support": int(y_true[:, c].sum()),
        }
        for c, name in enumerate(labels)
    }
    if not has_pos.any():
        nan = float("nan")
        return {"micro_ap": nan, "macro_ap": nan, "samples_ap": nan, "weighted_ap": nan, "per_label": per_label}
    y, p = y_true[:, has_pos], probs[:, has_pos]
    return {
        "micro_ap": float(average_precision_score(y, p, average="micro")),
        "macro_ap": float(average_precision_score(y, p, average="macro")),
        "samples_ap": float(average_precision_score(y_true[row_pos], probs[row_pos], average="samples")),
        "weighted_ap": float(average_precision_score(y, p, average="weighted")),
        "per_label": per_label,
    }


def task_metrics(task: str, y_true: np.ndarray, probs: np.ndarray, thresholds: np.ndarray, labels) -> dict:
    if task == "emotion":
        return emotion_metrics(y_true, probs, thresholds, labels)
    return genre_metrics(y_true, probs, thresholds, labels)


def selection_score(task: str, y_true: np.ndarray, probs: np.ndarray) -> float:
    """Threshold-free validation score for early stopping: mean ROC-AUC (emotion) or micro AP (genre);
    NaN when undefined (the caller then falls back to the validation loss)."""
    if task == "emotion":
        aucs = [roc_auc_score(y_true[:, c], probs[:, c]) for c in range(y_true.shape[1]) if 0 < y_true[:, c].sum() < len(y_true)]
        return _nanmean(aucs)
    has_pos = y_true.sum(axis=0) > 0
    return float(average_precision_score(y_true[:, has_pos], probs[:, has_pos], average="micro")) if has_pos.any() else float("nan")


def _nanmean(values) -> float:
    v = np.asarray(values, dtype=float)
    return float(np.nanmean(v)) if np.isfinite(v).any() else float("nan")
