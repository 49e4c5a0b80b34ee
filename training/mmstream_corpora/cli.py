"""Command line of the corpus readers (./mmstream import calls it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import emodb, goemotions, manifest, meld

READERS = {"emodb": emodb, "meld": meld, "goemotions": goemotions}


def parse(argv):
    p = argparse.ArgumentParser(
        prog="mmstream import",
        description="Turn a real labelled corpus, in its own format, into a manifest for `mmstream extract`. "
                    "Rows that cannot be used are listed in OUT/import-report.csv; the rest are imported.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("corpus", choices=sorted(READERS), help="which corpus DIR holds")
    p.add_argument("--data", required=True, type=Path,
                   help="the corpus folder (or the folder holding it, e.g. ../shared/data/real)")
    p.add_argument("--out", required=True, type=Path, help="where manifest.csv, captions/ and the report go")
    p.add_argument("--val-fraction", type=float, default=0.1,
                   help="meld, goemotions: share of the train part's dialogues/comments held out as val")
    p.add_argument("--val-speakers", default=",".join(emodb.DEFAULT_VAL_SPEAKERS),
                   help="emodb: comma-separated speakers whose clips are val")
    p.add_argument("--test-speakers", default="", help="emodb: comma-separated speakers whose clips are test")
    p.add_argument("--speed", default="", help="emodb: comma-separated speed factors (e.g. 0.9,1.1) for training copies "
                                               "of every clip, made with sox under OUT/augmented")
    p.add_argument("--limit", type=int, help="keep at most this many items per split (quick runs)")
    a = p.parse_args(argv)
    if not 0 <= a.val_fraction < 1:
        p.error(f"--val-fraction must be in [0, 1), got {a.val_fraction}")
    if a.limit is not None and a.limit < 1:
        p.error(f"--limit must be at least 1, got {a.limit}")
    return a


def main(argv=None) -> int:
    a = parse(argv)
    report = manifest.Report()
    try:
        if a.corpus == "emodb":
            items = emodb.read(a.data, report, speakers(a.val_speakers), speakers(a.test_speakers))
        else:
            items = READERS[a.corpus].read(a.data, report, a.val_fraction)
    except (FileNotFoundError, ValueError, UnicodeDecodeError) as e:
        print(f"mmstream import: {e}", file=sys.stderr)
        return 1
    if a.limit:
        items = limited(items, a.limit)
    if a.corpus == "emodb" and a.speed:
        try:
            factors = tuple(float(f) for f in a.speed.split(",") if f.strip())
        except ValueError:
            print(f"mmstream import: --speed {a.speed!r} must be comma-separated numbers such as 0.9,1.1", file=sys.stderr)
            return 2
        items += emodb.speed_copies(items, factors, a.out, report)
    if not items:
        print(f"mmstream import: no usable {a.corpus} item in {a.data} (see {a.out / 'import-report.csv'})",
              file=sys.stderr)
        manifest.write(a.out, a.corpus, [], report)
        return 1
    counts = manifest.write(a.out, a.corpus, items, report)
    splits = ", ".join(f"{s} {counts['splits'].get(s, 0)}" for s in manifest.SPLITS)
    print(f"{a.corpus}: {counts['items']} items ({splits}; {counts['no_label']} with no label) -> "
          f"{a.out / 'manifest.csv'}")
    if counts["skipped"] or counts["changed"]:
        print(f"{counts['skipped']} row(s) left out, {counts['changed']} kept with a change: "
              f"see {a.out / 'import-report.csv'}")
    print(f"next: ./mmstream extract --manifest {a.out / 'manifest.csv'} --out DATASET")
    return 0


def speakers(value: str) -> tuple[str, ...]:
    return tuple(s.strip().zfill(2) for s in value.split(",") if s.strip())


def limited(items, limit):
    """At most `limit` items per split, taken round-robin over groups (speakers, dialogues), so a small import
    still has every speaker; in the corpus's order otherwise."""
    by_split: dict[str, dict[str, list]] = {}
    for item in items:
        by_split.setdefault(item.split, {}).setdefault(item.group, []).append(item)
    kept = set()
    for groups in by_split.values():
        queues = [list(g) for g in groups.values()]
        taken = 0
        while taken < limit and any(queues):
            for q in queues:
                if q and taken < limit:
                    kept.add(id(q.pop(0)))
                    taken += 1
    return [item for item in items if id(item) in kept]
