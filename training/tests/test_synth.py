"""The synthetic corpus generator: real media out of ffmpeg, checked with ffprobe and decoding."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ holds the packages

from mmstream_synth import cli, tools  # noqa: E402
from mmstream_synth.clip import Modality  # noqa: E402
from mmstream_synth.corpus import MANIFEST_COLUMNS, clip_id, make_clip, split_of  # noqa: E402
from mmstream_synth.emotion import plan_emotion  # noqa: E402
from mmstream_synth.genre import plan_genre  # noqa: E402
from mmstream_synth.labels import EMOTIONS, GENRES  # noqa: E402
from mmstream_synth.poster import POSTER_SIZE, plan_poster, render_poster  # noqa: E402

SEED = 11


def probe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def streams(info: dict) -> dict[str, dict]:
    return {s["codec_type"]: s for s in info["streams"]}


def decoded_audio_rms(path: Path) -> float:
    pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a:0", "-f", "f32le", "-ac", "1", "-"],
                         capture_output=True, check=True).stdout
    x = np.frombuffer(pcm, np.float32)
    assert x.size > 16000, f"{path}: decoded only {x.size} audio samples"
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))


def decoded_video_mean(path: Path) -> float:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0", "-vf", "fps=2",
                          "-f", "rawvideo", "-pix_fmt", "gray", "-"], capture_output=True, check=True).stdout
    assert len(raw) > 0, f"{path}: no video decoded"
    return float(np.frombuffer(raw, np.uint8).mean())


def read_manifest(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == MANIFEST_COLUMNS
        return list(reader)


def file_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def first_index(plan_fn, predicate, limit: int = 400) -> int:
    """Plans are cheap (no I/O): find a clip index with the property a test needs."""
    for i in range(limit):
        if predicate(plan_fn(clip_id("emotion", SEED, i), SEED, i, 0.5)):
            return i
    raise AssertionError("no clip with the wanted property in the first plans")


def render(task: str, index: int, out: Path) -> tuple[dict, dict]:
    for sub in ("media", "captions", "meta"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    row = make_clip(task, SEED, index, 0.5, out)
    meta = json.loads((out / row.metadata_path).read_text())
    return row.__dict__, meta


@pytest.fixture(scope="module")
def emotion_corpora(tmp_path_factory) -> tuple[Path, Path]:
    """The same small corpus generated twice through the CLI, with 2 workers and with 1."""
    a, b = tmp_path_factory.mktemp("emo_a"), tmp_path_factory.mktemp("emo_b")
    assert cli.main(["--task", "emotion", "--count", "3", "--out", str(a), "--seed", str(SEED), "--jobs", "2"]) == 0
    assert cli.main(["--task", "emotion", "--count", "3", "--out", str(b), "--seed", str(SEED), "--jobs", "1"]) == 0
    return a, b


def test_emotion_clips_decode_with_h264_aac_and_expected_duration(emotion_corpora):
    root = emotion_corpora[0]
    rows = read_manifest(root / "manifest.csv")
    assert [r["clip_id"] for r in rows] == [clip_id("emotion", SEED, i) for i in range(3)]
    for r in rows:
        meta = json.loads((root / r["metadata_path"]).read_text())
        info = probe(root / r["media_path"])
        s = streams(info)
        assert s["video"]["codec_name"] == "h264" and s["audio"]["codec_name"] == "aac"
        assert (s["video"]["width"], s["video"]["height"]) == (320, 240)
        assert 6.0 <= meta["duration_s"] <= 10.0
        for kind in ("video", "audio"):
            assert abs(float(s[kind]["duration"]) - meta["duration_s"]) < 0.1, (r["clip_id"], kind)
        if r["captions_path"]:
            text = (root / r["captions_path"]).read_text()
            assert text.startswith("WEBVTT") == r["captions_path"].endswith(".vtt")
            for cue in meta["transcript"]:
                assert cue["text"] in text and 0 <= cue["start"] < cue["end"] <= meta["duration_s"]


def test_same_seed_gives_same_manifest_and_identical_media(emotion_corpora):
    a, b = emotion_corpora
    assert (a / "manifest.csv").read_text() == (b / "manifest.csv").read_text()
    hashes_a, hashes_b = file_hashes(a), file_hashes(b)
    assert len([p for p in hashes_a if p.endswith(".mp4")]) == 3
    assert hashes_a == hashes_b


def test_another_seed_gives_other_media(emotion_corpora, tmp_path):
    for sub in ("media", "captions", "meta"):
        (tmp_path / sub).mkdir()
    other = make_clip("emotion", SEED + 1, 0, 0.5, tmp_path)
    mine = emotion_corpora[0] / "media" / f"{clip_id('emotion', SEED, 0)}.mp4"
    assert mine.read_bytes() != (tmp_path / other.media_path).read_bytes()


def test_manifest_labels_come_from_the_label_set_one_to_three_per_clip(emotion_corpora):
    for r in read_manifest(emotion_corpora[0] / "manifest.csv"):
        labels = r["labels"].split(";")
        assert 1 <= len(labels) <= 3 and len(set(labels)) == len(labels)
        assert set(labels) <= set(EMOTIONS)
        assert r["split"] in ("train", "val", "test")
        meta = json.loads((emotion_corpora[0] / r["metadata_path"]).read_text())
        assert meta["labels"] == labels and meta["task"] == "emotion" and meta["seed"] == SEED


def test_label_frequencies_are_skewed_like_mosei_and_corruptions_near_ten_percent():
    plans = [plan_emotion(clip_id("emotion", SEED, i), SEED, i, 0.5) for i in range(1500)]
    counts = Counter(label for p in plans for label in p.labels)
    ranked = [name for name, _ in counts.most_common()]
    assert ranked[0] == "happy" and set(ranked[-2:]) == {"fear", "surprise"}, counts
    assert all(1 <= len(p.labels) <= 3 for p in plans)
    for m in ("audio", "text", "video"):
        share = np.mean([p.modalities[m] == Modality.MISSING for p in plans])
        assert 0.07 < share < 0.13, (m, share)
    contradicting = [p for p in plans if Modality.CONTRADICTS in p.modalities.values()]
    assert 0.07 < len(contradicting) / len(plans) < 0.13
    assert all(p.decoys and not set(p.decoys) & set(p.labels) for p in contradicting)


def test_splits_are_about_70_15_15_and_stable():
    splits = Counter(split_of(SEED, clip_id("emotion", SEED, i)) for i in range(4000))
    assert abs(splits["train"] / 4000 - 0.70) < 0.03
    assert abs(splits["val"] / 4000 - 0.15) < 0.03 and abs(splits["test"] / 4000 - 0.15) < 0.03
    assert split_of(SEED, "emo-s11-00042") == split_of(SEED, "emo-s11-00042")


def corpus_clip_with(root: Path, modality: str, state: str) -> Path:
    for r in read_manifest(root / "manifest.csv"):
        if json.loads((root / r["metadata_path"]).read_text())["modalities"][modality] == state:
            return root / r["media_path"]
    raise AssertionError(f"no clip with {modality} {state} in the small corpus")


def test_silent_audio_clip_has_near_zero_rms_and_spoken_clip_does_not(emotion_corpora, tmp_path):
    silent = first_index(plan_emotion, lambda p: p.modalities["audio"] == Modality.MISSING)
    row, meta = render("emotion", silent, tmp_path)
    assert meta["modalities"]["audio"] == "missing"
    assert decoded_audio_rms(tmp_path / row["media_path"]) < 1e-4
    assert decoded_audio_rms(corpus_clip_with(emotion_corpora[0], "audio", "present")) > 0.01


def test_black_video_clip_is_black_and_others_are_not(emotion_corpora, tmp_path):
    black = first_index(plan_emotion, lambda p: p.modalities["video"] == Modality.MISSING)
    row, meta = render("emotion", black, tmp_path)
    assert meta["modalities"]["video"] == "missing"
    assert decoded_video_mean(tmp_path / row["media_path"]) < 2.0
    assert decoded_video_mean(corpus_clip_with(emotion_corpora[0], "video", "present")) > 20.0


def test_clip_without_text_has_no_captions_anywhere(tmp_path):
    index = first_index(plan_emotion, lambda p: p.modalities["text"] == Modality.MISSING)
    row, meta = render("emotion", index, tmp_path)
    assert row["captions_path"] == "" and meta["captions"] == {"sidecar": None, "embedded": False}
    assert "subtitle" not in streams(probe(tmp_path / row["media_path"]))
    assert not any((tmp_path / "captions").iterdir())


def test_embedded_caption_clip_has_a_mov_text_stream_with_the_cues(tmp_path):
    index = first_index(plan_emotion, lambda p: p.embedded and p.sidecar is None)
    row, meta = render("emotion", index, tmp_path)
    assert row["captions_path"] == "" and meta["captions"]["embedded"] is True
    assert streams(probe(tmp_path / row["media_path"]))["subtitle"]["codec_name"] == "mov_text"
    srt = subprocess.run(["ffmpeg", "-v", "error", "-i", str(tmp_path / row["media_path"]), "-map", "0:s:0",
                          "-f", "srt", "-"], capture_output=True, text=True, check=True).stdout
    assert meta["transcript"] and all(c["text"] in srt for c in meta["transcript"])


def _poster_plan(i: int):
    return plan_poster(SEED, i, 0.5, plan_genre(clip_id("genre", SEED, i), SEED, i, 0.5).weights)


def test_genre_trailer_has_streams_plot_and_narration_captions_and_is_reproducible(tmp_path):
    with_poster = [i for i in range(12) if _poster_plan(i).has_poster]
    shortest = min(with_poster, key=lambda i: plan_genre(clip_id("genre", SEED, i), SEED, i, 0.5).n_frames)
    row, meta = render("genre", shortest, tmp_path / "a")
    again, _ = render("genre", shortest, tmp_path / "b")
    media = tmp_path / "a" / row["media_path"]
    assert media.read_bytes() == (tmp_path / "b" / again["media_path"]).read_bytes()
    # the poster sits beside the media, named from the metadata JSON's folder, and is reproducible too
    poster = (tmp_path / "a" / row["metadata_path"]).parent / meta["poster"]
    assert poster.read_bytes() == ((tmp_path / "b" / again["metadata_path"]).parent / meta["poster"]).read_bytes()
    from PIL import Image
    with Image.open(poster) as image:
        assert image.format == "JPEG" and image.size == POSTER_SIZE
    plan = _poster_plan(shortest)
    assert meta.get("year") == plan.year and meta.get("runtime") == plan.runtime_min
    assert all(isinstance(meta[k], int) for k in ("year", "runtime") if k in meta)
    s = streams(probe(media))
    assert s["video"]["codec_name"] == "h264" and s["audio"]["codec_name"] == "aac"
    assert 30.0 <= meta["duration_s"] <= 90.0
    assert abs(float(s["video"]["duration"]) - meta["duration_s"]) < 0.1
    labels = row["labels"].split(";")
    assert 1 <= len(labels) <= 3 and set(labels) <= set(GENRES)
    assert meta["title"] and len(meta["plot"].split(".")) >= 3
    spoken = [c["text"] for c in meta["narration"]]
    assert spoken and all(t in meta["plot"] for t in spoken)
    captions = (tmp_path / "a" / row["captions_path"]).read_text() if row["captions_path"] else ""
    if meta["captions"]["sidecar"]:
        assert all(t in captions for t in spoken)
    assert decoded_audio_rms(media) > 0.01


def test_posters_and_catalogue_fields_carry_genre_signal_noisily(tmp_path):
    plans = {}
    for i in range(600):
        g = plan_genre(clip_id("genre", SEED, i), SEED, i, 0.5)
        plans[i] = (max(g.weights, key=g.weights.get), plan_poster(SEED, i, 0.5, g.weights))
    by_genre: dict[str, list] = {}
    for primary, p in plans.values():
        by_genre.setdefault(primary, []).append(p)
    runtime = {g: [p.runtime_min for p in ps if p.runtime_min is not None] for g, ps in by_genre.items()}
    year = {g: [p.year for p in ps if p.year is not None] for g, ps in by_genre.items()}
    assert np.mean(runtime["drama"]) - np.mean(runtime["comedy"]) > 10, "dramas run longer than comedies"
    assert np.mean(year["sci-fi"]) - np.mean(year["crime"]) > 5, "science fiction is newer than crime"
    assert np.std(runtime["drama"]) > 8, "but a trailer's runtime alone does not give its genre"
    missing = np.mean([not p.has_poster for _, p in plans.values()])
    assert 0.05 < missing < 0.15, "about one trailer in ten has no poster"
    assert 0.03 < np.mean([p.year is None for _, p in plans.values()]) < 0.15

    # the rendered posters: horror ones darker than comedy ones
    def brightness(genre: str) -> float:
        values = []
        for i, (primary, p) in plans.items():
            if primary == genre and len(values) < 12:
                path = tmp_path / f"{i}.jpg"
                render_poster(p, "Title", path)
                from PIL import Image
                with Image.open(path) as image:
                    values.append(float(np.asarray(image.convert("L")).mean()))
        return float(np.mean(values))
    assert brightness("comedy") - brightness("horror") > 30


def test_bad_arguments_and_missing_tools_fail_with_clear_messages(tmp_path, monkeypatch, capsys):
    with pytest.raises(SystemExit):
        cli.main(["--task", "emotion", "--count", "1", "--out", str(tmp_path), "--seed", "1", "--difficulty", "2"])
    assert "--difficulty must be in [0, 1]" in capsys.readouterr().err
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(tools.ToolError, match=r"run ./mmstream setup"):
        tools.require()


def test_each_modality_is_informative_but_none_alone_is_near_perfect_and_fusion_helps():
    from mmstream_synth.separability import measure

    auc = measure(1000, 0.5, SEED)
    singles = [auc[m] for m in ("video", "audio", "text")]
    assert all(0.65 < a < 0.95 for a in singles), auc
    assert auc["all"] > max(singles) + 0.02, auc
