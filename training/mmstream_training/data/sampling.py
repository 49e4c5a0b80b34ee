"""Which training windows an epoch visits when several sources are mixed. Sampling each source in proportion to
its size**alpha (alpha < 1) keeps a small source (hundreds of EmoDB clips) from drowning under a large one (tens
of thousands of comments) without repeating it so often that the model memorises it; alpha = 1 is plain
concatenation, alpha = 0 gives every source the same share."""

from __future__ import annotations

import numpy as np


def source_shares(sources: np.ndarray, alpha: float, weights: dict[str, float] | None = None) -> dict[str, float]:
    """Share of an epoch for each source of the given (training) windows: weight_s * n_s**alpha, normalised
    (weight 1 for a source `weights` does not name)."""
    names, counts = np.unique(sources, return_counts=True)
    raw = counts.astype(float) ** alpha * np.array([(weights or {}).get(str(n), 1.0) for n in names])
    return {str(n): float(r / raw.sum()) for n, r in zip(names, raw)}


def epoch_order(indices: np.ndarray, sources: np.ndarray, alpha: float, size: int | None,
                rng: np.random.Generator, weights: dict[str, float] | None = None) -> np.ndarray:
    """Window indices for one epoch, shuffled. `sources` is per dataset window (indexed by `indices`); `size`
    windows in all (None: as many as `indices`). A source whose share exceeds its size is passed over in whole
    permutations, then topped up without repetition within the last pass."""
    own = sources[indices]
    names = list(dict.fromkeys(own.tolist()))
    if len(names) == 1 and size is None:
        return rng.permutation(indices)
    total = len(indices) if size is None else size
    shares = source_shares(own, alpha, weights)
    picked = []
    for name in names:
        pool = indices[own == name]
        want = int(round(total * shares[name]))
        full, rest = divmod(want, len(pool))
        picked += [rng.permutation(pool) for _ in range(full)]
        picked.append(rng.choice(pool, size=rest, replace=False))
    return rng.permutation(np.concatenate(picked))
