"""EmoDB (Burkhardt et al. 2005): `wav/SSTTTEV.wav`, SS speaker, TTT text id, E emotion (German initial),
V version. Audio-only items; the group is the speaker, so speakers never straddle splits."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

from .labels import EMODB
from .manifest import Item, Report

NAME = re.compile(r"(?P<speaker>\d{2})(?P<text>[ab]\d{2})(?P<emotion>[A-Z])(?P<version>[a-z])\.wav")
SPEAKERS = ("03", "08", "09", "10", "11", "12", "13", "14", "15", "16")
DEFAULT_VAL_SPEAKERS = ("13",)


def corpus_dir(data: Path) -> Path:
    """Accepts the corpus folder itself or the folder that holds `emodb/`."""
    for candidate in (data, data / "emodb"):
        if (candidate / "wav").is_dir():
            return candidate
    raise FileNotFoundError(f"{data} holds no EmoDB corpus: expected {data}/wav/*.wav or {data}/emodb/wav/*.wav")


def read(data: Path, report: Report, val_speakers=DEFAULT_VAL_SPEAKERS, test_speakers=()) -> list[Item]:
    root = corpus_dir(data)
    items = []
    for path in sorted((root / "wav").iterdir()):
        where = f"wav/{path.name}"
        m = NAME.fullmatch(path.name)
        if m is None:
            report.skip(where, "file name is not EmoDB's SSTTTEV.wav pattern (speaker, text id, emotion, version)")
            continue
        if m["emotion"] not in EMODB:
            report.skip(where, f"emotion code {m['emotion']!r} is not one of EmoDB's W E A F T N L")
            continue
        if path.stat().st_size == 0:
            report.skip(where, "file is empty (0 bytes)")
            continue
        name, labels = EMODB[m["emotion"]]
        speaker = m["speaker"]
        split = "test" if speaker in test_speakers else "val" if speaker in val_speakers else "train"
        items.append(Item(clip_id=f"emodb-{path.stem}", split=split, labels=labels, source_label=name,
                          group=f"speaker-{speaker}", media=path))
    return items


def speed_copies(items: list[Item], factors: tuple[float, ...], out: Path, report: Report) -> list[Item]:
    """Training copies of the train split's clips at other speeds (sox `speed`: tempo and pitch together, as
    Kaldi's speed perturbation), written under OUT/augmented. They stay in their speaker's group and are marked,
    so training uses them only while that speaker is a training speaker, never as val or test."""
    if not factors:
        return []
    if shutil.which("sox") is None:
        raise FileNotFoundError("--speed needs sox (Debian package sox; ./mmstream setup installs it)")
    folder = out / "augmented"
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for item in items:
        for factor in factors:
            target = folder / f"{item.media.stem}-sp{factor:g}.wav"
            if not target.is_file():
                done = subprocess.run(["sox", str(item.media), str(target), "speed", f"{factor:g}"],
                                      capture_output=True, text=True)
                if done.returncode != 0:
                    report.skip(f"wav/{item.media.name}", f"sox speed {factor:g} failed: {done.stderr.strip()}")
                    continue
            copies.append(dataclasses.replace(item, clip_id=f"{item.clip_id}-sp{factor:g}", media=target,
                                              augmented=f"speed {factor:g}"))
    return copies
