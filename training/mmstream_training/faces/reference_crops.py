"""Fixed 112x112 face crops from the real photos shipped in @vladmandic/face-api (demo/sample*.jpg).

Each crop is a square of 112*k pixels at a fixed position (around a face BlazeFace found once; the boxes
are fixed so the reference never moves), reduced by k with an integer k x k block mean rounded half up.
The reduction is plain integer arithmetic so that Java (ingest tests) rebuilds bit-identical pixels and
can check them against the CRC32 recorded in the fixture.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

SIZE = 112
DEMO_DIR = Path("node_modules") / "@vladmandic" / "face-api" / "demo"


@dataclass(frozen=True)
class Crop:
    """A square region of a demo photo: top-left (x, y) in pixels, side = 112 * factor."""

    image: str
    x: int
    y: int
    factor: int

    @property
    def side(self) -> int:
        return SIZE * self.factor


CROPS = (
    Crop("sample1.jpg", 402, 390, 2),
    Crop("sample2.jpg", 1444, 184, 2),
    Crop("sample3.jpg", 580, 373, 2),
    Crop("sample4.jpg", 961, 217, 2),
    Crop("sample5.jpg", 749, 132, 2),
    Crop("sample6.jpg", 664, 385, 2),
)


def demo_photo(models_dir: Path, name: str) -> Path:
    path = models_dir / DEMO_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run ./mmstream setup (it installs the npm packages under models/)")
    return path


def crop_rgb(models_dir: Path, crop: Crop) -> np.ndarray:
    """The crop as uint8 RGB (112,112,3)."""
    rgb = np.asarray(Image.open(demo_photo(models_dir, crop.image)).convert("RGB"), dtype=np.uint32)
    k = crop.factor
    region = rgb[crop.y:crop.y + crop.side, crop.x:crop.x + crop.side]  # (112k,112k,3)
    if region.shape[:2] != (crop.side, crop.side):
        raise ValueError(f"{crop} falls outside {crop.image} ({rgb.shape[1]}x{rgb.shape[0]})")
    sums = region.reshape(SIZE, k, SIZE, k, 3).sum(axis=(1, 3))  # (112,112,3)
    return ((sums + (k * k) // 2) // (k * k)).astype(np.uint8)


def crc32(pixels: np.ndarray) -> int:
    return zlib.crc32(np.ascontiguousarray(pixels).tobytes())
