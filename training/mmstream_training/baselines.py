"""Simple baselines on the same features and the same items, to say what the fusion model adds and what the
features allow (the issue's reference points): each item's fullest window, its steps pooled (audio: mean, std,
10th and 90th percentile of every log-mel and prosody column; text: the mean MiniLM token state), and a
logistic regression per label (class-balanced), thresholds tuned on validation.

EmoDB: leave one speaker out, the next speaker as validation, like the model's folds (speed copies unused);
MELD and GoEmotions: train on train, thresholds on val, scored on test (their dev parts)."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from mmstream_training.data import Dataset
from mmstream_training.metrics import fullest_windows, source_metrics, tune_thresholds


def pooled(dataset: Dataset, indices: np.ndarray, modality: str) -> np.ndarray:
    rows = [dataset.steps[modality][i] for i in indices]
    if modality == "text":
        return np.stack([r.mean(axis=0) if len(r) else np.zeros(dataset.info.dims["text"]) for r in rows])
    return np.stack([np.concatenate([r.mean(0), r.std(0), np.percentile(r, 10, 0), np.percentile(r, 90, 0)])
                     if len(r) else np.zeros(4 * dataset.info.dims[modality]) for r in rows])


def items_of(dataset: Dataset, split: str, source: str) -> np.ndarray:
    """The fullest window of each clip of a source in a split."""
    idx = dataset.indices(split, source)
    _, chosen = fullest_windows(dataset.clips[idx], dataset.content(idx))
    return idx[chosen]


def fit_predict(x_train, y_train, x_eval: list[np.ndarray]) -> list[np.ndarray]:
    scaler = StandardScaler().fit(x_train)
    out = [np.zeros((len(x), y_train.shape[1])) for x in x_eval]
    for c in range(y_train.shape[1]):
        if 0 < y_train[:, c].sum() < len(y_train):
            clf = LogisticRegression(max_iter=2000, C=0.1, class_weight="balanced").fit(scaler.transform(x_train), y_train[:, c])
            for o, x in zip(out, x_eval):
                o[:, c] = clf.predict_proba(scaler.transform(x))[:, 1]
    return out


def score(dataset: Dataset, train: np.ndarray, val: np.ndarray, test: np.ndarray, modality: str,
          by_group: np.ndarray | None = None) -> dict:
    """With `by_group` (a group per dataset window), every item's pooled features are standardized with its
    group's own statistics first."""
    y = dataset.targets
    x = {name: pooled(dataset, idx, modality) for name, idx in (("train", train), ("val", val), ("test", test))}
    if by_group is not None:
        x = {name: per_group(x[name], by_group[idx]) for name, idx in (("train", train), ("val", val), ("test", test))}
    p_val, p_test = fit_predict(x["train"], y[train], [x["val"], x["test"]])
    thresholds = tune_thresholds(y[val], p_val)
    neutral = np.array([dataset.attribute(c, "source_label") == "neutral" for c in dataset.clips[test]])
    return source_metrics("emotion", y[test], p_test, thresholds, dataset.info.labels, dataset.clips[test], neutral)


def text_baseline(dataset: Dataset, source: str) -> dict:
    return score(dataset, items_of(dataset, "train", source), items_of(dataset, "val", source),
                 items_of(dataset, "test", source), "text")


def per_group(x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for g in np.unique(groups):
        at = groups == g
        out[at] = (x[at] - x[at].mean(axis=0)) / (x[at].std(axis=0) + 1e-6)
    return out


def emodb_baseline(dataset: Dataset, speakers: tuple[str, ...], source: str = "emodb",
                   speaker_normalized: bool = False, folds: tuple[str, ...] | None = None) -> list[dict]:
    """One result per left-out speaker of `folds` (default: all), the next of `speakers` as val, originals only.
    speaker_normalized: each speaker's items standardized with that speaker's own statistics over all their recordings, known in advance: an upper bound for what
    normalising over a live stream so far could give."""
    idx = np.flatnonzero((dataset.sources == source)
                         & np.array([not dataset.attribute(c, "augmented") for c in dataset.clips]))
    _, chosen = fullest_windows(dataset.clips[idx], dataset.content(idx))
    idx = idx[chosen]
    groups = np.array([dataset.attribute(c, "group") for c in dataset.clips[idx]])
    results = []
    for i, speaker in enumerate(speakers):
        if folds is not None and speaker not in folds:
            continue
        test = groups == f"speaker-{speaker}"
        val = groups == f"speaker-{speakers[(i + 1) % len(speakers)]}"
        by_group = None
        if speaker_normalized:
            by_group = np.empty(len(dataset.clips), dtype=object)
            by_group[idx] = groups
        results.append(score(dataset, idx[~test & ~val], idx[val], idx[test], "audio", by_group))
    return results
