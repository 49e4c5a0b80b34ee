"""The corpus readers on small fixtures written here in each corpus's own format (EmoDB file names, MELD's CSV,
GoEmotions' TSV and labels.txt), including rows they must report rather than import."""

from __future__ import annotations

import csv
import wave
from pathlib import Path

import pytest

from mmstream_corpora import cli, text_timing
from mmstream_corpora.labels import EMOTIONS


def read_manifest(out: Path) -> dict[str, dict]:
    with (out / "manifest.csv").open(newline="", encoding="utf-8") as f:
        return {row["clip_id"]: row for row in csv.DictReader(f)}


def read_report(out: Path) -> list[dict]:
    with (out / "import-report.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def silent_wav(path: Path, seconds: float = 0.5) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * int(16000 * seconds))


@pytest.fixture
def emodb(tmp_path) -> Path:
    wav = tmp_path / "emodb" / "wav"
    wav.mkdir(parents=True)
    for name in ("03a01Wa.wav", "03a01Ea.wav", "08a02Ab.wav", "08b01Fc.wav", "13a04Tc.wav", "13a05Nd.wav",
                 "13b02Lb.wav", "03a01Xa.wav", "notes.wav"):
        silent_wav(wav / name)
    (wav / "09a01Wa.wav").write_bytes(b"")
    return tmp_path


def test_emodb_file_names_map_to_labels_speakers_and_splits(emodb, tmp_path):
    out = tmp_path / "out"
    assert cli.main(["emodb", "--data", str(emodb), "--out", str(out), "--val-speakers", "13",
                     "--test-speakers", "8"]) == 0
    rows = read_manifest(out)
    expected = {"emodb-03a01Wa": ("anger", "anger", "train"), "emodb-03a01Ea": ("disgust", "disgust", "train"),
                "emodb-08a02Ab": ("fear", "fear", "test"), "emodb-08b01Fc": ("happy", "happy", "test"),
                "emodb-13a04Tc": ("sad", "sad", "val"), "emodb-13a05Nd": ("", "neutral", "val"),
                "emodb-13b02Lb": ("", "boredom", "val")}
    assert {k: (r["labels"], r["source_label"], r["split"]) for k, r in rows.items()} == expected
    assert rows["emodb-03a01Wa"]["group"] == "speaker-03" and rows["emodb-03a01Wa"]["source"] == "emodb"
    assert Path(rows["emodb-03a01Wa"]["media_path"]) == (emodb / "emodb" / "wav" / "03a01Wa.wav").resolve()
    assert rows["emodb-03a01Wa"]["captions_path"] == ""
    reasons = {r["where"]: r["reason"] for r in read_report(out)}
    assert "emotion code 'X'" in reasons["wav/03a01Xa.wav"]
    assert "not EmoDB's SSTTTEV.wav pattern" in reasons["wav/notes.wav"]
    assert "empty (0 bytes)" in reasons["wav/09a01Wa.wav"]


MELD_HEADER = "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime\n"


def test_meld_lines_become_one_cue_text_only_clips(tmp_path):
    meld = tmp_path / "meld"
    meld.mkdir()
    (meld / "train_sent_emo.csv").write_text(MELD_HEADER + "\n".join([
        '1,"Oh my God, he’s lost it… totally!",Phoebe,joy,positive,0,0,4,7,"00:20:57,256","00:21:00,049"',
        '2,What?,Monica,surprise,negative,0,1,4,7,"00:21:01,927","00:21:03,261"',
        '3,"Fine.",Ross,neutral,neutral,1,0,4,7,"00:21:05,000","00:21:04,000"',
        '4,   ,Joey,anger,negative,1,1,4,7,"00:21:05,000","00:21:06,000"',
        '5,"No way",Joey,contempt,negative,1,2,4,7,"00:21:05,000","00:21:06,000"',
    ]) + "\n", encoding="utf-8")
    (meld / "dev_sent_emo.csv").write_text(MELD_HEADER + '1,"So sad.",Rachel,sadness,negative,7,0,1,1,'
                                           '"00:00:01,000","00:00:02,500"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["meld", "--data", str(tmp_path), "--out", str(out), "--val-fraction", "0"]) == 0
    rows = read_manifest(out)
    assert set(rows) == {"meld-train-d0-u0", "meld-train-d0-u1", "meld-train-d1-u0", "meld-dev-d7-u0"}
    first = rows["meld-train-d0-u0"]
    assert (first["labels"], first["source_label"], first["split"], first["media_path"]) == ("happy", "joy", "train", "")
    assert (out / first["captions_path"]).read_text(encoding="utf-8") == \
        "1\n00:00:00,000 --> 00:00:02,793\nOh my God, he’s lost it… totally!\n"
    assert rows["meld-dev-d7-u0"]["split"] == "test" and rows["meld-dev-d7-u0"]["labels"] == "sad"
    assert rows["meld-train-d1-u0"]["labels"] == "" and rows["meld-train-d1-u0"]["source_label"] == "neutral"
    assert "00:00:01,000" in (out / "captions" / "meld-train-d1-u0.srt").read_text()  # estimated: 1 word -> 1 s
    report = {r["where"]: (r["action"], r["reason"]) for r in read_report(out)}
    assert report["train_sent_emo.csv:4"][0] == "kept" and "no plausible duration" in report["train_sent_emo.csv:4"][1]
    assert report["train_sent_emo.csv:5"] == ("skipped", "the utterance is empty")
    assert report["train_sent_emo.csv:6"][0] == "skipped" and "'contempt'" in report["train_sent_emo.csv:6"][1]


def test_goemotions_multi_labels_map_onto_ours_and_bad_rows_are_reported(tmp_path):
    go = tmp_path / "goemotions"
    go.mkdir()
    (go / "labels.txt").write_text("anger\ndisgust\nfear\njoy\nneutral\nsadness\nsurprise\n")
    (go / "train.tsv").write_text("\n".join([
        "I love this so much!\t3\tc1",
        "Ugh, gross and scary\t1,2\tc2",
        "ok then\t4\tc3",
        "wow, thanks!\t3,4\tc4",
        "bad index\t9\tc5",
        "\t0\tc6",
        "no id\t0",
    ]) + "\n")
    (go / "dev.tsv").write_text("what?!\t6\td1\n")
    out = tmp_path / "out"
    assert cli.main(["goemotions", "--data", str(tmp_path), "--out", str(out), "--val-fraction", "0"]) == 0
    rows = read_manifest(out)
    assert {k: (r["labels"], r["source_label"], r["split"]) for k, r in rows.items()} == {
        "goemo-c1": ("happy", "joy", "train"), "goemo-c2": ("disgust;fear", "disgust+fear", "train"),
        "goemo-c3": ("", "neutral", "train"), "goemo-c4": ("happy", "joy+neutral", "train"),
        "goemo-d1": ("surprise", "surprise", "test")}
    assert all(label in EMOTIONS for r in rows.values() for label in r["labels"].split(";") if label)
    cue = (out / "captions" / "goemo-c1.srt").read_text().splitlines()[1]
    assert cue == "00:00:00,000 --> 00:00:01,666"  # five words at three a second
    reasons = [r["reason"] for r in read_report(out)]
    assert any("outside labels.txt's 0..6" in r for r in reasons)
    assert any("comment text is empty" in r for r in reasons)
    assert any("expected 3 tab-separated fields" in r for r in reasons)


def test_a_missing_corpus_is_one_line_and_exit_code_one(tmp_path, capsys):
    assert cli.main(["meld", "--data", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mmstream import: ") and "holds no MELD corpus" in err and "Traceback" not in err


def test_limit_keeps_every_group(emodb, tmp_path):
    out = tmp_path / "out"
    assert cli.main(["emodb", "--data", str(emodb), "--out", str(out), "--val-speakers", "13", "--limit", "2"]) == 0
    rows = read_manifest(out)
    train = [r for r in rows.values() if r["split"] == "train"]
    assert len(train) == 2 and {r["group"] for r in train} == {"speaker-03", "speaker-08"}


@pytest.mark.parametrize("text, ms", [("hi", 1000), ("one two three four five six", 2000), ("w " * 40, 3500)])
def test_untimed_text_lasts_three_words_a_second_within_bounds(text, ms):
    assert text_timing.untimed_duration_ms(text) == ms  # the same rule as ingest's LiveLine (Java)
