"""A frontal face drawn with Pillow, whose expression is a handful of numbers.

The head (skin shading, hair, ears, nose, neck and shirt) does not change within a clip, so it is
rendered once as an RGBA sprite; eyes, brows and mouth carry the expression and are drawn on every
frame. Proportions follow a real frontal face closely enough for BlazeFace to detect it
(see face_check.py for the measurement).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


@dataclass(frozen=True)
class Identity:
    """Who is on screen: fixed for a clip, drawn at random so that faces differ between clips."""

    skin: tuple[int, int, int]
    hair: tuple[int, int, int]
    iris: tuple[int, int, int]
    shirt: tuple[int, int, int]
    half_width: float  # head ellipse semi-axes in pixels
    half_height: float
    hair_volume: float  # 0 = short crop, 1 = big hair


@dataclass(frozen=True)
class Expression:
    """Facial action parameters, roughly in [-1, 1] (0 = neutral)."""

    brow_tilt: float  # >0 inner ends raised (sad, fear), <0 inner ends lowered (anger)
    brow_raise: float  # >0 both brows up (surprise, fear)
    eye_open: float  # >0 wide open, <0 narrowed; -1 closed (used for blinks)
    mouth_curve: float  # >0 smile, <0 frown
    mouth_open: float  # 0 closed .. 1 wide open
    mouth_width: float  # >0 stretched, <0 pursed
    sneer: float  # 0..1 upper lip raised on one side (disgust)

    def blend(self, other: "Expression", w: float) -> "Expression":
        a, b = np.array(self.as_tuple()), np.array(other.as_tuple())
        return Expression(*((1 - w) * a + w * b).tolist())

    def as_tuple(self) -> tuple[float, ...]:
        return (self.brow_tilt, self.brow_raise, self.eye_open, self.mouth_curve,
                self.mouth_open, self.mouth_width, self.sneer)


NEUTRAL = Expression(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)

SKIN_TONES = [(241, 194, 167), (224, 172, 138), (198, 134, 96), (161, 102, 66), (118, 74, 48),
              (232, 190, 160), (210, 160, 120)]
HAIR_COLOURS = [(30, 22, 18), (60, 40, 25), (95, 65, 40), (150, 110, 60), (200, 170, 110),
                (120, 120, 120)]
IRIS_COLOURS = [(70, 45, 25), (40, 90, 130), (60, 100, 60), (90, 70, 40)]


def random_identity(rng: np.random.Generator, frame_height: int) -> Identity:
    half_height = frame_height * rng.uniform(0.24, 0.29)
    return Identity(
        skin=SKIN_TONES[rng.integers(len(SKIN_TONES))],
        hair=HAIR_COLOURS[rng.integers(len(HAIR_COLOURS))],
        iris=IRIS_COLOURS[rng.integers(len(IRIS_COLOURS))],
        shirt=tuple(int(c) for c in rng.integers(30, 200, size=3)),
        half_width=half_height * rng.uniform(0.74, 0.82),
        half_height=half_height,
        hair_volume=float(rng.uniform(0.0, 1.0)),
    )


def _shade(rgb: tuple[int, int, int], k: float) -> tuple[int, int, int]:
    return tuple(int(np.clip(c * k, 0, 255)) for c in rgb)


class FaceRenderer:
    """Draws one identity; `draw` puts the face with an expression at a position on a frame."""

    def __init__(self, identity: Identity):
        self.identity = identity
        self.a = identity.half_width
        self.b = identity.half_height
        self.sprite = self._head_sprite()
        # Sprite pixel of the head centre, so callers position the face by its centre.
        self.origin = (self.sprite.width // 2, int(1.25 * self.b))

    def _head_sprite(self) -> Image.Image:
        idt, a, b = self.identity, self.a, self.b
        w, h = int(4.0 * a), int(3.2 * b)
        cx, cy = w / 2, 1.25 * b
        img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        d = ImageDraw.Draw(img)
        skin, dark_skin = idt.skin, _shade(idt.skin, 0.78)
        # Shoulders, neck (shadowed under the jaw), ears.
        d.ellipse([cx - 1.9 * a, cy + 1.35 * b, cx + 1.9 * a, cy + 3.2 * b], fill=idt.shirt + (255,))
        d.rectangle([cx - 0.42 * a, cy + 0.6 * b, cx + 0.42 * a, cy + 1.5 * b], fill=dark_skin + (255,))
        for side in (-1, 1):
            ex = cx + side * 0.97 * a
            d.ellipse([ex - 0.16 * a, cy - 0.2 * b, ex + 0.16 * a, cy + 0.22 * b], fill=dark_skin + (255,))
        # Hair behind the head.
        vol = 0.08 + 0.22 * idt.hair_volume
        d.ellipse([cx - (1.0 + vol) * a, cy - (1.0 + vol) * b, cx + (1.0 + vol) * a, cy + 0.15 * b],
                  fill=idt.hair + (255,))
        # Head: skin ellipse with a soft radial shading and a light from the upper left.
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        nx, ny = (xx - cx) / a, (yy - cy) / b
        r2 = nx * nx + ny * ny
        inside = r2 <= 1.0
        light = 1.06 - 0.28 * r2 - 0.06 * nx - 0.05 * ny
        head = np.clip(np.array(skin, np.float32)[None, None, :] * light[..., None], 0, 255)
        arr = np.array(img)
        arr[inside, :3] = head[inside].astype(np.uint8)
        arr[inside, 3] = 255
        img = Image.fromarray(arr, "RGBA")
        d = ImageDraw.Draw(img)
        # Fringe: hair over the top of the forehead.
        d.chord([cx - 1.02 * a, cy - 1.04 * b, cx + 1.02 * a, cy - 0.25 * b], 180, 360, fill=idt.hair + (255,))
        # Nose: a shadow on one side, a lit ridge, and nostrils.
        nose_top, nose_tip = cy - 0.1 * b, cy + 0.3 * b
        d.line([cx + 0.06 * a, nose_top, cx + 0.13 * a, nose_tip], fill=_shade(skin, 0.72) + (255,), width=max(2, int(0.05 * a)))
        d.ellipse([cx - 0.16 * a, nose_tip - 0.07 * b, cx + 0.16 * a, nose_tip + 0.07 * b], fill=_shade(skin, 0.9) + (255,))
        for side in (-1, 1):
            nx0 = cx + side * 0.09 * a
            d.ellipse([nx0 - 0.045 * a, nose_tip + 0.01 * b, nx0 + 0.045 * a, nose_tip + 0.05 * b], fill=_shade(skin, 0.45) + (255,))
        # Eye sockets: a faint shadow where the eyes will sit.
        for side in (-1, 1):
            ex = cx + side * 0.38 * a
            d.ellipse([ex - 0.26 * a, cy - 0.28 * b, ex + 0.26 * a, cy - 0.02 * b], fill=_shade(skin, 0.9) + (255,))
        return img.filter(ImageFilter.SMOOTH)

    def draw(self, frame: Image.Image, centre: tuple[float, float], e: Expression) -> None:
        """Pastes the head so that its centre lands on `centre`, then draws the expression."""
        x0, y0 = int(round(centre[0] - self.origin[0])), int(round(centre[1] - self.origin[1]))
        frame.paste(self.sprite, (x0, y0), self.sprite)
        d = ImageDraw.Draw(frame)
        cx, cy = x0 + self.origin[0], y0 + self.origin[1]
        self._eyes(d, cx, cy, e)
        self._brows(d, cx, cy, e)
        self._mouth(d, cx, cy, e)

    def _eyes(self, d: ImageDraw.ImageDraw, cx: float, cy: float, e: Expression) -> None:
        a, b = self.a, self.b
        half_w = 0.2 * a
        half_h = max(0.0, 0.075 * b * (1.0 + 0.55 * e.eye_open))
        lid = _shade(self.identity.skin, 0.8)
        for side in (-1, 1):
            ex, ey = cx + side * 0.38 * a, cy - 0.15 * b
            if half_h < 1.0:
                d.line([ex - half_w, ey, ex + half_w, ey], fill=lid, width=2)
                continue
            d.ellipse([ex - half_w, ey - half_h, ex + half_w, ey + half_h], fill=(245, 245, 240), outline=(60, 40, 35))
            r = min(0.09 * a, half_h)
            d.ellipse([ex - r, ey - r, ex + r, ey + r], fill=self.identity.iris)
            pr = 0.45 * r
            d.ellipse([ex - pr, ey - pr, ex + pr, ey + pr], fill=(10, 10, 10))
            d.ellipse([ex - 0.3 * r, ey - 0.7 * r, ex, ey - 0.4 * r], fill=(255, 255, 255))
            d.arc([ex - half_w, ey - half_h, ex + half_w, ey + half_h], 190, 350, fill=(30, 20, 20), width=2)

    def _brows(self, d: ImageDraw.ImageDraw, cx: float, cy: float, e: Expression) -> None:
        a, b = self.a, self.b
        base = cy - 0.33 * b - 0.1 * b * e.brow_raise
        width = max(2, int(0.075 * a))
        for side in (-1, 1):
            inner = (cx + side * 0.14 * a, base - 0.09 * b * e.brow_tilt)
            mid = (cx + side * 0.36 * a, base - 0.035 * b)
            outer = (cx + side * 0.6 * a, base + 0.03 * b * e.brow_tilt + 0.02 * b)
            d.line([inner, mid, outer], fill=_shade(self.identity.hair, 0.8), width=width, joint="curve")

    def _mouth(self, d: ImageDraw.ImageDraw, cx: float, cy: float, e: Expression) -> None:
        a, b = self.a, self.b
        my = cy + 0.52 * b
        half_w = 0.3 * a * (1.0 + 0.25 * e.mouth_width + 0.1 * max(e.mouth_curve, 0))
        lift = 0.1 * b * e.mouth_curve  # corners up for a smile
        gap = 0.16 * b * max(0.0, e.mouth_open)
        sneer = 0.07 * b * e.sneer
        t = np.linspace(-1.0, 1.0, 15)
        xs = cx + half_w * t
        corner_y = my - lift
        # Upper and lower lip lines: parabolas through the corners, bowed by the smile/frown.
        upper = corner_y + (lift * 0.6 - gap / 2) * (1 - t * t) - sneer * np.clip(t, 0, 1)
        lower = corner_y + (lift * 1.2 + gap / 2 + 0.025 * b) * (1 - t * t)
        lip = (150, 60, 60)
        if gap > 1.0:
            poly = list(zip(xs, upper)) + list(zip(xs[::-1], lower[::-1]))
            d.polygon(poly, fill=(70, 20, 25))
            # Teeth along the upper lip.
            teeth = list(zip(xs[3:12], upper[3:12])) + list(zip(xs[11:2:-1], upper[11:2:-1] + 0.3 * gap))
            d.polygon(teeth, fill=(235, 230, 220))
        lw = max(2, int(0.05 * b))
        d.line(list(zip(xs, upper)), fill=lip, width=lw, joint="curve")
        d.line(list(zip(xs, lower + 0.015 * b)), fill=_shade(lip, 1.1), width=lw + 1, joint="curve")
