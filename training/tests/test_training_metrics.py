"""Metric functions on cases small enough to work out by hand."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ holds the packages

from mmstream_training.metrics import emotion_metrics, genre_metrics, selection_score, tune_thresholds  # noqa: E402

Y = np.array([[1, 0], [1, 0], [0, 1], [0, 0]], dtype=np.float32)
P = np.array([[0.9, 0.2], [0.4, 0.3], [0.3, 0.8], [0.1, 0.9]], dtype=np.float32)


def test_thresholds_maximise_f1_per_label():
    # label 0: a cut at 0.4 catches both positives and no negative (F1 = 1);
    # label 1: the one positive scores 0.8, below a negative at 0.9, so the best cut 0.8 gives F1 = 2/3.
    np.testing.assert_allclose(tune_thresholds(Y, P), [0.4, 0.8])
    assert tune_thresholds(np.zeros((3, 1)), np.full((3, 1), 0.7))[0] == 0.5  # no positive: the default


def test_emotion_metrics_by_hand():
    m = emotion_metrics(Y, P, np.array([0.5, 0.5]), ["a", "b"])
    a, b = m["per_label"]["a"], m["per_label"]["b"]
    # label a at 0.5: predicts only row 0 -> TP 1, FN 1, FP 0: F1 = 2/3; recall+ 1/2, recall- 1 -> BA 3/4
    assert math.isclose(a["f1"], 2 / 3) and math.isclose(a["balanced_accuracy"], 0.75) and a["roc_auc"] == 1.0
    # label b at 0.5: predicts rows 2, 3 -> TP 1, FP 1: F1 = 2/3; BA = (1 + 2/3) / 2; AUC: 0.8 beats 0.2, 0.3, not 0.9
    assert math.isclose(b["f1"], 2 / 3) and math.isclose(b["balanced_accuracy"], 5 / 6)
    assert math.isclose(b["roc_auc"], 2 / 3)
    assert math.isclose(m["mean_f1"], 2 / 3) and math.isclose(m["mean_roc_auc"], 5 / 6)


def test_undefined_auc_is_nan_and_left_out_of_the_mean():
    y = np.array([[1, 0], [0, 0]], dtype=np.float32)
    m = emotion_metrics(y, np.array([[0.8, 0.1], [0.2, 0.6]]), np.array([0.5, 0.5]), ["a", "b"])
    assert math.isnan(m["per_label"]["b"]["roc_auc"]) and m["mean_roc_auc"] == 1.0


def test_genre_average_precisions_by_hand():
    m = genre_metrics(Y, P, np.array([0.5, 0.5]), ["a", "b"])
    # label a: positives 0.9, 0.4 rank above both negatives -> AP 1; label b: the positive (0.8) is 2nd -> AP 1/2
    ap_a, ap_b = 1.0, 0.5
    assert math.isclose(m["per_label"]["a"]["ap"], ap_a) and math.isclose(m["per_label"]["b"]["ap"], ap_b)
    assert math.isclose(m["macro_ap"], (ap_a + ap_b) / 2)
    assert math.isclose(m["weighted_ap"], (2 * ap_a + ap_b) / 3)
    # micro: the 8 scores pooled: 0.9(+) tied with 0.9(-), then 0.8(+), 0.4(+): precision 1/2, 2/3, 3/4
    assert math.isclose(m["micro_ap"], (1 / 2 + 2 / 3 + 3 / 4) / 3)
    # samples: rows 0-2 have one positive each; row 0 ranks it first (1), row 1 first (1), row 2 first (1);
    # row 3 has no positive and is left out
    assert math.isclose(m["samples_ap"], 1.0)


def test_selection_score_is_threshold_free():
    assert math.isclose(selection_score("emotion", Y, P), 5 / 6)
    assert math.isclose(selection_score("genre", Y, P), (1 / 2 + 2 / 3 + 3 / 4) / 3)


def test_thresholds_rise_together_until_enough_no_label_windows_stay_silent():
    from mmstream_training.metrics import raise_for_silence, silence_rate

    rng = np.random.default_rng(0)
    quiet = rng.uniform(0, 1, (200, 3))
    tuned = np.array([0.3, 0.5, 0.6])
    raised = raise_for_silence(tuned, quiet, 0.7)
    assert silence_rate(quiet, raised) >= 0.7 > silence_rate(quiet, tuned)
    assert (raised > tuned).all()
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    assert np.allclose(np.diff(logit(raised) - logit(tuned)), 0, atol=1e-6), "one shift for every label"
    assert silence_rate(quiet, raise_for_silence(tuned, quiet, 0.71)) < 0.8, "the least shift, not any"
    assert raise_for_silence(tuned, quiet, 0.0) is tuned
    assert raise_for_silence(tuned, quiet[:0], 0.9) is tuned
