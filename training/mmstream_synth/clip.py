"""What every generated clip shares: its files, modality states and caption layout."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODALITIES = ("audio", "text", "video")

# Per emotion clip: each modality goes missing with this probability, and with the same
# probability one modality (picked uniformly) is rendered from decoy labels instead.
P_MISSING = 0.1
P_CONTRADICT = 0.1


class Modality(str, enum.Enum):
    PRESENT = "present"
    MISSING = "missing"  # silent audio, no captions at all, or black video
    CONTRADICTS = "contradicts"  # rendered from decoy labels disjoint from the clip's labels


@dataclass(frozen=True)
class ClipFiles:
    """Absolute output paths of one clip; `captions` is only written when the clip has a sidecar."""

    media: Path
    captions: Path
    metadata: Path


def corruption(rng: np.random.Generator) -> tuple[dict[str, Modality], bool]:
    """At most one modality per clip is missing or contradicting, so two always agree."""
    states = {m: Modality.PRESENT for m in MODALITIES}
    u = rng.random()
    if u < P_MISSING * len(MODALITIES):
        states[MODALITIES[int(u / P_MISSING)]] = Modality.MISSING
    elif u < P_MISSING * len(MODALITIES) + P_CONTRADICT:
        states[MODALITIES[int(rng.integers(len(MODALITIES)))]] = Modality.CONTRADICTS
    return states, Modality.CONTRADICTS in states.values()


def caption_layout(rng: np.random.Generator, text: Modality) -> tuple[str | None, bool]:
    """(sidecar format, embedded mov_text?): SRT 40%, VTT 35%, embedded only 15%, VTT + embedded 10%."""
    u = rng.random()
    if text == Modality.MISSING:
        return None, False
    if u < 0.40:
        return "srt", False
    if u < 0.75:
        return "vtt", False
    if u < 0.90:
        return None, True
    return "vtt", True
