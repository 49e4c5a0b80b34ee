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


def tune_thresholds(y_true: np.ndarray, probs: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Per label, the threshold (predict positive when prob >= t) that maximises F1 on these windows, each
    window counting with its weight (None: equally); 0.5 for a label without positives, where F1 cannot be
    maximised. (N,C), (N,C), (N,) -> (C,)."""
    thresholds = np.full(y_true.shape[1], 0.5)
    for c in range(y_true.shape[1]):
        if y_true[:, c].sum() == 0:
            continue
        precision, recall, cuts = precision_recall_curve(y_true[:, c], probs[:, c], sample_weight=weights)
        f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)
        thresholds[c] = float(cuts[int(np.argmax(f1))])
    return thresholds


def emotion_metrics(y_true: np.ndarray, probs: np.ndarray, thresholds: np.ndarray, labels) -> dict:
    """thresholds: (C,), or (N,C) when windows have thresholds of their own (their modality set's)."""
    per_window = thresholds if thresholds.ndim == 2 else np.broadcast_to(thresholds, probs.shape)
    thresholds = per_window.mean(axis=0) if len(per_window) else thresholds
    pred = probs >= per_window
    per_label = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns on single-class labels; we record NaN instead
        for c, name in enumerate(labels):
            y, p = y_true[:, c], pred[:, c]
            both = 0 < y.sum() < len(y)
            per_label[name] = {
                # no positive item: recall and so F1 are undefined here; NaN keeps the label out of the means
                "f1": float(f1_score(y, p, zero_division=0)) if y.sum() > 0 else float("nan"),
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


def source_balanced_weights(sources: np.ndarray) -> np.ndarray:
    """Per window, 1 / (windows of its source): every source weighs the same in a pooled statistic."""
    names, inverse, counts = np.unique(sources, return_inverse=True, return_counts=True)
    return 1.0 / counts[inverse]


def fullest_windows(clips: np.ndarray, content: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each clip's fullest window, the one holding the most of its content (feature steps; the earliest on a
    tie): a line of text or a short utterance is judged on the window that holds all of it, as serving emits
    it, not on windows that see only its tail. Without `content`, each clip's first window.
    Returns the clip ids in order of first appearance and the chosen window positions: (K,), (K,)."""
    content = np.zeros(len(clips)) if content is None else np.asarray(content, dtype=float)
    best: dict[str, int] = {}
    for i, clip in enumerate(clips):
        j = best.get(clip)
        if j is None or content[i] > content[j]:
            best[clip] = i
    return np.array(list(best)), np.array(list(best.values()), dtype=int)


def modality_thresholds(y_true: np.ndarray, probs: np.ndarray, weights: np.ndarray, sets: np.ndarray,
                        general: np.ndarray, min_windows: int = 200, min_silence: float = 0.0) -> dict[str, np.ndarray]:
    """Thresholds tuned on the windows of each set of present modalities (e.g. "text", "text+audio+video")
    that has at least `min_windows` windows; a label without positives there keeps the general threshold. With
    `min_silence`, each set's thresholds are then raised until that share of its no-label windows stays silent."""
    result = {}
    for key in dict.fromkeys(sets.tolist()):
        at = sets == key
        if at.sum() < min_windows or not key:
            continue
        own = tune_thresholds(y_true[at], probs[at], weights[at])
        own = np.where(y_true[at].sum(axis=0) > 0, own, general)
        quiet = at & (y_true.sum(axis=1) == 0)
        result[key] = raise_for_silence(own, probs[quiet], min_silence)
    return result


def raise_for_silence(thresholds: np.ndarray, quiet_probs: np.ndarray, target: float) -> np.ndarray:
    """The F1-tuned thresholds (C,), raised together by the least shift in logit space that leaves at least
    `target` of these no-label windows (K,C) with no label: a model that speaks up on most neutral moments is
    noise to its users, whatever its F1. Unchanged when the target is already met or there is no such window."""
    if target <= 0 or len(quiet_probs) == 0 or silence_rate(quiet_probs, thresholds) >= target:
        return thresholds
    logit = np.log(np.clip(thresholds, 1e-6, 1 - 1e-6) / (1 - np.clip(thresholds, 1e-6, 1 - 1e-6)))
    lo, hi = 0.0, 20.0
    for _ in range(40):  # bisection on the shift: silence grows with it
        mid = (lo + hi) / 2
        if silence_rate(quiet_probs, 1 / (1 + np.exp(-(logit + mid)))) >= target:
            hi = mid
        else:
            lo = mid
    return 1 / (1 + np.exp(-(logit + hi)))


def window_thresholds(general: np.ndarray, by_set: dict[str, np.ndarray], sets: np.ndarray) -> np.ndarray:
    """(N,C): each window's thresholds, those of its modality set when the model has them."""
    return np.stack([by_set.get(key, general) for key in sets]) if len(sets) else np.zeros((0, len(general)))


def top1_accuracy(y_true: np.ndarray, probs: np.ndarray) -> tuple[float, int]:
    """Over items with exactly one label: how often the highest score is that label, the argmax taken over the
    labels these items have at all (a corpus without surprise is not asked to rule surprise out). (acc, count)."""
    single = y_true.sum(axis=1) == 1
    used = y_true.sum(axis=0) > 0
    if not single.any():
        return float("nan"), 0
    picked = np.where(used[None, :], probs, -np.inf)[single].argmax(axis=1)
    return float((picked == y_true[single].argmax(axis=1)).mean()), int(single.sum())


def silence_rate(probs: np.ndarray, thresholds: np.ndarray) -> float:
    """Share of the given items on which no label reaches its threshold (what a neutral item should get);
    thresholds (C,) or (N,C)."""
    return float((probs < thresholds).all(axis=1).mean()) if len(probs) else float("nan")


def source_metrics(task: str, y_true: np.ndarray, probs: np.ndarray, thresholds: np.ndarray, labels,
                   clips: np.ndarray, neutral: np.ndarray | None = None, content: np.ndarray | None = None) -> dict:
    """One source's metrics on items (clips, each scored by its fullest window, see `items`): the task's metrics,
    plus for emotion top-1 accuracy on single-label items and the share of neutral items (else of no-label items)
    that get no label. `neutral` flags, per window, an item the corpus calls neutral; `content` counts its steps."""
    ids, chosen = fullest_windows(clips, content)
    y, p = y_true[chosen], probs[chosen]
    thr = thresholds[chosen] if thresholds.ndim == 2 else thresholds
    metrics = task_metrics(task, y, p, thr, labels)
    metrics["items"], metrics["windows"] = int(len(ids)), int(len(clips))
    if task == "emotion":
        metrics["top1_accuracy"], metrics["top1_items"] = top1_accuracy(y, p)
        if neutral is not None and neutral.any():
            quiet = neutral[chosen]
            metrics["neutral_kind"] = "neutral"
        else:
            quiet = y.sum(axis=1) == 0
            metrics["neutral_kind"] = "no-label"
        quiet_thr = thr[quiet] if thr.ndim == 2 else thr
        metrics["neutral_silent"], metrics["neutral_items"] = silence_rate(p[quiet], quiet_thr), int(quiet.sum())
    return metrics
