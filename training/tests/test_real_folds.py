"""The leave-one-speaker-out folds of `evaluate-real`: a fold is the same training whichever subset asks for it."""

from __future__ import annotations

from pathlib import Path

from mmstream_training.real import EMODB_SPEAKERS, Work, fold_configs

SPECS = ["emodb=/d/emodb", "meld=/d/meld"]


def test_a_subset_of_folds_trains_exactly_the_runs_of_the_full_evaluation():
    work = Work(Path("/w"), quick=False)
    full = {Path(c.out).name: c for c in fold_configs(work, SPECS, EMODB_SPEAKERS)}
    subset = fold_configs(work, SPECS, ("11", "03"))
    assert [Path(c.out).name for c in subset] == ["loso-03", "loso-11"]
    for c in subset:
        assert c == full[Path(c.out).name]
    assert full["loso-11"].val_groups == ("speaker-12",)
    assert full["loso-13"].val_groups == ("speaker-03",)  # the last speaker's val wraps round to the first


def test_every_speaker_is_test_once_and_val_once():
    configs = fold_configs(Work(Path("/w"), quick=False), SPECS, EMODB_SPEAKERS)
    assert sorted(g for c in configs for g in c.test_groups) == [f"speaker-{s}" for s in EMODB_SPEAKERS]
    assert sorted(g for c in configs for g in c.val_groups) == [f"speaker-{s}" for s in EMODB_SPEAKERS]
