"""The project's emotion labels and how each corpus's own labels map onto them (../shared/data/real/README.md).

Neutral maps to no label: a neutral item is a window where the model should stay below every threshold.
EmoDB's boredom (L) has no project label either and is kept as a no-label item, so the model learns that low
arousal is not sadness; reports count neutral and boredom items apart (`source_label`)."""

from __future__ import annotations

EMOTIONS = ("anger", "disgust", "fear", "happy", "sad", "surprise")

NO_LABEL = ()

# Ekman-style names used by MELD's Emotion column and GoEmotions' Ekman grouping (labels.txt).
EKMAN = {
    "anger": ("anger",),
    "disgust": ("disgust",),
    "fear": ("fear",),
    "joy": ("happy",),
    "sadness": ("sad",),
    "surprise": ("surprise",),
    "neutral": NO_LABEL,
}

# EmoDB file names: letter 6 is the emotion (German initials).
EMODB = {
    "W": ("anger", ("anger",)),  # Ärger (Wut)
    "E": ("disgust", ("disgust",)),  # Ekel
    "A": ("fear", ("fear",)),  # Angst
    "F": ("happy", ("happy",)),  # Freude
    "T": ("sad", ("sad",)),  # Trauer
    "N": ("neutral", NO_LABEL),
    "L": ("boredom", NO_LABEL),  # Langeweile: no project label
}


def ekman(name: str) -> tuple[str, ...]:
    """Project labels of one Ekman-style name; KeyError for a name that is not one."""
    return EKMAN[name.strip().lower()]
