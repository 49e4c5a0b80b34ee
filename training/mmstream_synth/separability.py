"""How much each modality of the emotion generator reveals, measured on its latent parameters.

Usage: python -m mmstream_synth.separability [--clips N] [--difficulty D] [--seed S]

Plans clips (no rendering), turns each modality's generative parameters into a small feature
vector, fits one-vs-rest logistic regression on 80% and reports the macro ROC-AUC on the rest.
These are upper bounds for models that see the rendered media: features recover the latents
only partly (espeak prosody through pitch trackers, the face through a detector and an
expression network, words through a sentence encoder). A modality that is missing in a clip
gives zeros there, as a masked modality would.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from .clip import Modality
from .corpus import clip_id
from .emotion import ALL_VARIANTS, PROFILES, EmotionPlan, plan_emotion
from .labels import EMOTIONS

EFFECTS = sorted({p.effects[0] for p in PROFILES.values() if p.effects})
SOURCES = (*EMOTIONS, "neutral")


def video_features(p: EmotionPlan) -> np.ndarray:
    v = p.video
    if v.black:
        return np.zeros(11)
    h = np.deg2rad(v.hue)
    return np.array([*v.expression.as_tuple(), np.cos(h), np.sin(h), v.brightness, v.motion])


def audio_features(p: EmotionPlan) -> np.ndarray:
    a = p.audio
    if a.silent:
        return np.zeros(6 + len(EFFECTS) + len(ALL_VARIANTS))
    voice = a.voice
    fx = [float(e in a.effects) for e in EFFECTS]
    variant = [float(voice.variant == name) for name in ALL_VARIANTS]
    return np.array([voice.pitch / 50, voice.speed / 165, voice.amplitude / 100,
                     np.log(voice.pitch_range / 100), a.snr_db / 20, 1.0, *fx, *variant])


def text_features(p: EmotionPlan) -> np.ndarray:
    if p.modalities["text"] == Modality.MISSING:
        return np.zeros(len(SOURCES))
    spoken = p.candidates[:3]  # a 6-10 s clip speaks about three sentences
    return np.array([sum(s.source == src for s in spoken) for src in SOURCES], float)


def macro_auc(x: np.ndarray, y: np.ndarray, train: np.ndarray) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x[train])
    xs = scaler.transform(x)
    aucs = []
    for j in range(y.shape[1]):
        model = LogisticRegression(max_iter=2000, C=1.0).fit(xs[train], y[train, j])
        aucs.append(roc_auc_score(y[~train, j], model.predict_proba(xs[~train])[:, 1]))
    return float(np.mean(aucs))


def measure(n: int, difficulty: float, seed: int) -> dict[str, float]:
    plans = [plan_emotion(clip_id("emotion", seed, i), seed, i, difficulty) for i in range(n)]
    y = np.array([[name in p.labels for name in EMOTIONS] for p in plans], int)
    feats = {"video": np.stack([video_features(p) for p in plans]),
             "audio": np.stack([audio_features(p) for p in plans]),
             "text": np.stack([text_features(p) for p in plans])}
    feats["all"] = np.concatenate(list(feats.values()), axis=1)
    train = np.arange(n) < int(0.8 * n)
    return {name: macro_auc(x, y, train) for name, x in feats.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m mmstream_synth.separability", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clips", type=int, default=4000)
    ap.add_argument("--difficulty", type=float, nargs="+", default=[0.0, 0.5, 1.0])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    print("difficulty  " + "  ".join(f"{m:>6s}" for m in ("video", "audio", "text", "all")) + "   (macro ROC-AUC)")
    for d in args.difficulty:
        r = measure(args.clips, d, args.seed)
        print(f"{d:10.2f}  " + "  ".join(f"{r[m]:6.3f}" for m in ("video", "audio", "text", "all")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
