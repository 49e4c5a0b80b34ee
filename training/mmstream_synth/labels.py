"""Label sets of the two tasks and how often each label occurs."""

from __future__ import annotations

import numpy as np

EMOTIONS = ("anger", "disgust", "fear", "happy", "sad", "surprise")

# Relative frequencies skewed like CMU-MOSEI's emotion annotations (presence counts): happy dominates,
# sad, anger and disgust are common, fear and surprise are rare.
EMOTION_PRIOR = {"anger": 0.15, "disgust": 0.12, "fear": 0.06, "happy": 0.41, "sad": 0.19, "surprise": 0.07}

# The 13 Moviescope genres, with frequencies shaped like the dataset's (drama and comedy lead).
GENRES = ("action", "animation", "biography", "comedy", "crime", "drama", "family", "fantasy",
          "horror", "mystery", "romance", "sci-fi", "thriller")
GENRE_PRIOR = {"action": 0.11, "animation": 0.04, "biography": 0.04, "comedy": 0.15, "crime": 0.08,
               "drama": 0.22, "family": 0.05, "fantasy": 0.05, "horror": 0.06, "mystery": 0.05,
               "romance": 0.08, "sci-fi": 0.04, "thriller": 0.09}

LABEL_SETS = {"emotion": EMOTIONS, "genre": GENRES}
PRIORS = {"emotion": EMOTION_PRIOR, "genre": GENRE_PRIOR}
# P(1, 2, 3 labels per clip).
LABEL_COUNT_P = {"emotion": (0.62, 0.29, 0.09), "genre": (0.35, 0.45, 0.20)}


def sample_labels(rng: np.random.Generator, task: str, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    """1-3 distinct labels drawn by prior without replacement, returned in label-set order."""
    names = [n for n in LABEL_SETS[task] if n not in exclude]
    p = np.array([PRIORS[task][n] for n in names])
    k = min(len(names), 1 + int(rng.choice(3, p=LABEL_COUNT_P[task])))
    picked = rng.choice(len(names), size=k, replace=False, p=p / p.sum())
    chosen = {names[i] for i in picked}
    return tuple(n for n in LABEL_SETS[task] if n in chosen)


def mixture_weights(rng: np.random.Generator, labels: tuple[str, ...]) -> dict[str, float]:
    """How strongly each label of a clip shows: the first drawn is not always the strongest."""
    w = rng.dirichlet(np.full(len(labels), 3.0))
    return {n: float(x) for n, x in zip(labels, w)}
