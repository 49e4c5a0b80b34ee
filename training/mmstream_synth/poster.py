"""A trailer's poster and its catalogue metadata (year, runtime), shaped by its genres, noisily.

Real posters and catalogue entries carry genre signal, weakly: horror posters are dark, animation ones bright and
saturated; biographies and dramas run long, animations short; science fiction is newer than crime noir. Here a
poster is one frame of the trailer's own kind of shot (its genre's palette and scene, drawn by the trailer's shot
renderer) on a gradient with a title band, and year and runtime are drawn around the genres' means. Noise grows
with the difficulty, and some trailers have no poster or lack a field, as catalogues do. Everything is drawn from a
random stream of its own (seed, index, 0x70), so adding posters changed nothing else of a trailer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

POSTER_SIZE = (200, 300)  # width, height: the 2:3 of a one-sheet
# Genre means: runtime in minutes, release year.
RUNTIME = {"action": 118, "animation": 92, "biography": 128, "comedy": 100, "crime": 115, "drama": 122,
           "family": 96, "fantasy": 120, "horror": 94, "mystery": 110, "romance": 108, "sci-fi": 117, "thriller": 110}
YEAR = {"action": 2008, "animation": 2012, "biography": 2010, "comedy": 2004, "crime": 1998, "drama": 2003,
        "family": 2006, "fantasy": 2009, "horror": 2007, "mystery": 2000, "romance": 2002, "sci-fi": 2013,
        "thriller": 2005}


@dataclass(frozen=True)
class PosterPlan:
    has_poster: bool
    genre: str  # whose look the key art has
    hue: float
    hue2: float
    saturation: float
    brightness: float
    scene: str
    art_seed: int
    year: int | None  # None: the catalogue lacks it
    runtime_min: int | None


def _mix(weights: dict[str, float], table: dict[str, int]) -> float:
    return sum(w * table[g] for g, w in weights.items())


def plan_poster(seed: int, index: int, difficulty: float, weights: dict[str, float]) -> PosterPlan:
    from .genre import PROFILES
    from .labels import GENRES

    rng = np.random.default_rng([seed, index, 0x70])
    d = difficulty
    names, w = list(weights), np.array(list(weights.values()))
    genre = str(rng.choice(GENRES)) if rng.random() < 0.1 + 0.3 * d else str(rng.choice(names, p=w / w.sum()))
    p = PROFILES[genre]
    year = int(np.clip(round(_mix(weights, YEAR) + rng.normal(0, 8 + 10 * d)), 1950, 2026))
    runtime = int(np.clip(round(_mix(weights, RUNTIME) + rng.normal(0, 8 + 12 * d)), 70, 190))
    return PosterPlan(
        has_poster=bool(rng.random() >= 0.1),
        genre=genre,
        hue=float(rng.choice(p.hues) + rng.normal(0, 8 + 30 * d)) % 360,
        hue2=float(rng.choice(p.hues) + rng.normal(0, 8 + 30 * d)) % 360,
        saturation=float(np.clip(p.saturation + rng.normal(0, 0.05 + 0.15 * d), 0.0, 1.0)),
        brightness=float(np.clip(p.brightness + rng.normal(0, 0.05 + 0.15 * d), 0.06, 0.95)),
        scene=str(rng.choice(p.scenes)),
        art_seed=int(rng.integers(2 ** 31)),
        year=year if rng.random() >= 0.08 else None,
        runtime_min=runtime if rng.random() >= 0.08 else None,
    )


def render_poster(plan: PosterPlan, title: str, path: Path) -> None:
    """Writes the poster as a JPEG: key art in the upper two thirds, the title on a band below."""
    from .genre import FORMAT, Shot, ShotRenderer, _rgb

    width, height = POSTER_SIZE
    shot = Shot(start=0, length=1, genre=plan.genre, scene=plan.scene, hue=plan.hue, hue2=plan.hue2,
                saturation=plan.saturation, brightness=plan.brightness, motion=0.0, seed=plan.art_seed)
    art = Image.fromarray(ShotRenderer(shot).frame(0), "RGB")
    # the middle of the 16:9 frame, scaled to the poster's width and two thirds of its height
    crop_w = int(FORMAT.height * width / (height * 2 / 3))
    left = (FORMAT.width - crop_w) // 2
    art = art.crop((left, 0, left + crop_w, FORMAT.height)).resize((width, height * 2 // 3), Image.Resampling.BILINEAR)
    poster = Image.new("RGB", POSTER_SIZE, tuple(int(c) for c in _rgb(plan.hue2, plan.saturation, plan.brightness * 0.5)))
    poster.paste(art, (0, 0))
    draw = ImageDraw.Draw(poster)
    band = height * 2 // 3
    draw.rectangle([0, band, width, height], fill=tuple(int(c) for c in _rgb(plan.hue, plan.saturation * 0.6, plan.brightness * 0.4)))
    draw.text((10, band + 20), title.upper(), fill=(240, 240, 240))
    path.parent.mkdir(parents=True, exist_ok=True)
    poster.save(path, "JPEG", quality=85)


def metadata(plan: PosterPlan, poster_path: str | None) -> dict:
    """The catalogue fields of the trailer's metadata JSON (poster relative to the JSON's folder)."""
    out: dict = {}
    if plan.has_poster and poster_path:
        out["poster"] = poster_path
    if plan.year is not None:
        out["year"] = plan.year
    if plan.runtime_min is not None:
        out["runtime"] = plan.runtime_min
    return out
