"""Genre trailers: shots, a music bed and a narrated plot, all shaped by 1-3 Moviescope genres.

`plan_genre` draws every random choice (no I/O); `render_genre` renders frames with numpy and
Pillow, the music bed with `sox synth` chords laid out on a beat grid, the narration with espeak-ng,
and muxes them with ffmpeg. README.md documents what each modality reveals.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from . import audio, captions, encode
from .clip import ClipFiles, Modality, caption_layout
from .face import Expression, FaceRenderer, random_identity
from .labels import GENRES, mixture_weights, sample_labels
from .phrases import GENRE_PLOT_PHRASES, TITLE_WORDS, TRAILER_OPENERS

FORMAT = encode.VideoFormat(width=426, height=240, fps=15)


@dataclass(frozen=True)
class GenreProfile:
    cut_rate: float  # shots per second
    hues: tuple[float, ...]  # palette, degrees
    saturation: float
    brightness: float
    motion: float  # 0..1: element speed, camera shake
    tempo: float  # beats per minute
    major: bool
    wave: str  # sox synth waveform of the chords
    drums: float  # 0..1 drum level
    scenes: tuple[str, ...]  # scene kinds this genre's shots show


PROFILES = {
    "action": GenreProfile(0.9, (22, 35, 200), 0.7, 0.55, 0.9, 140, False, "square", 1.0, ("burst", "streaks")),
    "animation": GenreProfile(0.5, (50, 120, 200, 300), 0.95, 0.85, 0.7, 124, True, "pluck", 0.4, ("cartoon",)),
    "biography": GenreProfile(0.2, (35, 30), 0.18, 0.55, 0.15, 72, True, "sine", 0.0, ("sepia", "portrait")),
    "comedy": GenreProfile(0.45, (52, 30, 90), 0.65, 0.85, 0.55, 128, True, "pluck", 0.6, ("cartoon", "portrait")),
    "crime": GenreProfile(0.5, (215, 45), 0.45, 0.3, 0.5, 100, False, "sawtooth", 0.5, ("night", "streaks")),
    "drama": GenreProfile(0.2, (28, 205), 0.35, 0.5, 0.2, 66, False, "sine", 0.0, ("portrait", "gradient")),
    "family": GenreProfile(0.35, (45, 100, 195), 0.6, 0.8, 0.4, 110, True, "triangle", 0.3, ("cartoon", "gradient")),
    "fantasy": GenreProfile(0.3, (270, 160, 50), 0.7, 0.6, 0.45, 90, True, "triangle", 0.3, ("sparkle", "gradient")),
    "horror": GenreProfile(0.6, (0, 110), 0.55, 0.15, 0.3, 60, False, "sine", 0.2, ("flicker",)),
    "mystery": GenreProfile(0.3, (230, 260), 0.4, 0.3, 0.25, 80, False, "triangle", 0.0, ("night", "sparkle")),
    "romance": GenreProfile(0.25, (340, 15), 0.5, 0.72, 0.2, 76, True, "sine", 0.0, ("portrait", "bokeh")),
    "sci-fi": GenreProfile(0.45, (190, 280), 0.7, 0.35, 0.6, 115, False, "sawtooth", 0.6, ("stars",)),
    "thriller": GenreProfile(0.7, (200, 0), 0.4, 0.3, 0.6, 120, False, "square", 0.8, ("streaks", "night")),
}
WAVES = ("sine", "triangle", "square", "sawtooth", "pluck")
MAJOR, MINOR = (0, 7, 9, 5), (0, 8, 3, 10)  # I-V-vi-IV and i-VI-III-VII, semitones from the key root


@dataclass(frozen=True)
class Shot:
    start: int  # first frame
    length: int  # frames
    genre: str
    scene: str
    hue: float
    hue2: float
    saturation: float
    brightness: float
    motion: float
    seed: int


@dataclass(frozen=True)
class MusicPlan:
    tempo: float
    major: bool
    wave: str
    drums: float
    root_midi: int
    level_db: float


@dataclass(frozen=True)
class GenrePlan:
    clip_id: str
    seed: int
    index: int
    difficulty: float
    labels: tuple[str, ...]
    weights: dict[str, float]
    n_frames: int
    modalities: dict[str, Modality]
    decoys: tuple[str, ...]
    sidecar: str | None
    embedded: bool
    title: str
    plot: tuple[tuple[str, str], ...]  # (sentence, source genre or "opener")
    shots: tuple[Shot, ...]
    music: MusicPlan
    voice: audio.Voice
    narration_start: float
    gaps: tuple[float, ...]

    @property
    def duration(self) -> float:
        return self.n_frames / FORMAT.fps


def _pick(rng: np.random.Generator, weights: dict[str, float], d: float) -> str:
    """A label of the clip by weight, or (noise) any genre."""
    if rng.random() < 0.1 + 0.3 * d:
        return str(rng.choice(GENRES))
    names, w = list(weights), np.array(list(weights.values()))
    return str(rng.choice(names, p=w / w.sum()))


def _mix(weights: dict[str, float], attr: str) -> float:
    return sum(w * float(getattr(PROFILES[n], attr)) for n, w in weights.items())


def _plan_shots(rng: np.random.Generator, weights: dict[str, float], d: float, n_frames: int) -> tuple[Shot, ...]:
    rate = _mix(weights, "cut_rate") * float(np.exp(rng.normal(0, 0.15 + 0.35 * d)))
    shots, t = [], 0
    while t < n_frames:
        g = _pick(rng, weights, d)
        p = PROFILES[g]
        length = max(5, int(rng.gamma(4.0, 1.0 / (4.0 * rate)) * FORMAT.fps))
        length = min(length, n_frames - t)
        hues = p.hues
        shots.append(Shot(
            start=t, length=length, genre=g, scene=str(rng.choice(p.scenes)),
            hue=float(rng.choice(hues) + rng.normal(0, 8 + 30 * d)) % 360,
            hue2=float(rng.choice(hues) + rng.normal(0, 8 + 30 * d)) % 360,
            saturation=float(np.clip(p.saturation + rng.normal(0, 0.05 + 0.15 * d), 0.0, 1.0)),
            brightness=float(np.clip(p.brightness + rng.normal(0, 0.05 + 0.15 * d), 0.06, 0.95)),
            motion=float(np.clip(p.motion + rng.normal(0, 0.1 + 0.2 * d), 0.0, 1.0)),
            seed=int(rng.integers(2 ** 31))))
        t += length
    return tuple(shots)


def _plan_music(rng: np.random.Generator, weights: dict[str, float], d: float) -> MusicPlan:
    major = _mix(weights, "major") > 0.5
    if rng.random() < 0.05 + 0.25 * d:
        major = not major
    primary = max(weights, key=weights.get)
    wave = PROFILES[primary].wave if rng.random() > 0.4 * d else str(rng.choice(WAVES))
    return MusicPlan(
        tempo=float(np.clip(_mix(weights, "tempo") + rng.normal(0, 5 + 15 * d), 50, 170)),
        major=bool(major), wave=wave,
        drums=float(np.clip(_mix(weights, "drums") + rng.normal(0, 0.05 + 0.2 * d), 0, 1)),
        root_midi=int(rng.integers(45, 53)), level_db=float(rng.uniform(-20, -15)))


def _plan_plot(rng: np.random.Generator, weights: dict[str, float], d: float) -> tuple[tuple[str, str], ...]:
    plot = [(str(rng.choice(TRAILER_OPENERS)), "opener")] if rng.random() < 0.5 else []
    used: set[str] = set()
    for _ in range(int(rng.integers(3, 6))):
        g = _pick(rng, weights, d)
        options = [s for s in GENRE_PLOT_PHRASES[g] if s not in used]
        sentence = str(rng.choice(options))
        used.add(sentence)
        plot.append((sentence, g))
    return tuple(plot)


def plan_genre(clip_id: str, seed: int, index: int, difficulty: float) -> GenrePlan:
    rng = np.random.default_rng([seed, index, 0x6E])
    d = difficulty
    labels = sample_labels(rng, "genre")
    weights = mixture_weights(rng, labels)
    n_frames = int(round(rng.uniform(30.0, 90.0) * FORMAT.fps))
    modalities = {"audio": Modality.PRESENT, "text": Modality.PRESENT, "video": Modality.PRESENT}
    sidecar, embedded = caption_layout(rng, Modality.PRESENT)
    primary = max(weights, key=weights.get)
    first, second = TITLE_WORDS[primary]
    return GenrePlan(
        clip_id=clip_id, seed=seed, index=index, difficulty=d, labels=labels, weights=weights,
        n_frames=n_frames, modalities=modalities, decoys=(), sidecar=sidecar, embedded=embedded,
        title=f"{rng.choice(first)} {rng.choice(second)}",
        plot=_plan_plot(rng, weights, d),
        shots=_plan_shots(rng, weights, d, n_frames),
        music=_plan_music(rng, weights, d),
        voice=audio.Voice(variant=str(rng.choice(("m1", "m3", "m6", "f2", "f5"))),
                          pitch=int(rng.integers(22, 45)), speed=int(rng.integers(135, 165)),
                          amplitude=int(rng.integers(110, 150)), pitch_range=int(rng.integers(60, 120))),
        narration_start=float(rng.uniform(1.5, 3.0)),
        gaps=tuple(float(x) for x in rng.uniform(1.2, 4.0, size=8)),
    )


# ---- audio -------------------------------------------------------------------------------------

def _midi_hz(m: float) -> float:
    return 440.0 * 2 ** ((m - 69) / 12)


def _music(plan: GenrePlan, n: int, work: Path) -> np.ndarray:
    """Chords on a beat grid (one sox synth call per chord) plus numpy drums."""
    m = plan.music
    beat = 60.0 / m.tempo
    pad = m.wave in ("sine", "triangle")  # pads sustain a bar, percussive waves hit every beat
    hit_len = beat * (4 if pad else 1)
    chords = []
    for k, step in enumerate(MAJOR if m.major else MINOR):
        root = m.root_midi + step
        minor_chord = (m.major and step == 9) or (not m.major and step == 0)  # vi and i
        t3 = 3 if minor_chord else 4
        notes = [root - 12, root + 12, root + 12 + t3, root + 19]
        chords.append(audio.sox_tone(hit_len, [(m.wave if i else "sine", _midi_hz(x)) for i, x in enumerate(notes)],
                                     work, f"chord{k}"))
    out = np.zeros(n, np.float32)
    n_beats = int(n / (beat * audio.RATE)) + 1
    for b in range(0, n_beats, 4 if pad else 1):
        x = chords[(b // 4) % 4]
        s = int(b * beat * audio.RATE)
        seg = x[:max(0, n - s)]
        out[s:s + seg.size] += seg
    if m.drums > 0.05:
        out += m.drums * _drums(plan, n, beat)
    return out * (10 ** (m.level_db / 20) / max(audio.rms(out), 1e-6))


def _drums(plan: GenrePlan, n: int, beat: float) -> np.ndarray:
    rng = np.random.default_rng([plan.seed, plan.index, 0x6F])
    t = np.arange(int(0.25 * audio.RATE)) / audio.RATE
    kick = np.sin(2 * np.pi * (50 * t + 60 * (1 - np.exp(-t * 30)) / 30)) * np.exp(-t * 18)
    snare = rng.standard_normal(t.size) * np.exp(-t * 25) * 0.5
    hat = rng.standard_normal(int(0.05 * audio.RATE)) * np.exp(-np.arange(int(0.05 * audio.RATE)) / 200) * 0.2
    out = np.zeros(n + kick.size, np.float32)
    half_beats = int(n / (beat * audio.RATE / 2))
    for h in range(half_beats):
        s = int(h * beat / 2 * audio.RATE)
        if h % 4 == 0:
            out[s:s + kick.size] += kick
        elif h % 4 == 2:
            out[s:s + snare.size] += snare
        out[s:s + hat.size] += hat
    return out[:n]


def _narration(plan: GenrePlan, n: int, work: Path) -> tuple[np.ndarray, list[captions.Cue]]:
    track = np.zeros(n, np.float32)
    cues: list[captions.Cue] = []
    t = plan.narration_start
    for (sentence, _), gap in zip(plan.plot, plan.gaps):
        x = audio.speak(sentence, plan.voice, work)
        end = t + x.size / audio.RATE
        if end > plan.duration - 1.0:
            break  # the plot in the metadata stays whole; the trailer narrates what fits
        s = int(round(t * audio.RATE))
        track[s:s + x.size] = x
        cues.append(captions.Cue(round(t, 3), round(end, 3), sentence))
        t = end + gap
    return track, cues


def _audio(plan: GenrePlan, work: Path) -> tuple[np.ndarray, list[captions.Cue]]:
    n = int(round(plan.duration * audio.RATE))
    voice, cues = _narration(plan, n, work)
    music = _music(plan, n, work)
    # Duck the music under the narration, with 50 ms ramps.
    duck = np.ones(n, np.float32)
    for c in cues:
        duck[int(c.start * audio.RATE):int(c.end * audio.RATE)] = 0.35
    duck = np.convolve(duck, np.ones(1103, np.float32) / 1103, mode="same")
    voice *= 0.5 / max(float(np.max(np.abs(voice))), 1e-6)
    return audio.peak_normalise(voice + music * duck), cues


# ---- video -------------------------------------------------------------------------------------

def _rgb(hue: float, sat: float, val: float) -> np.ndarray:
    return np.array(colorsys.hsv_to_rgb(hue / 360.0, sat, val), np.float32) * 255.0


class ShotRenderer:
    """Frames of one shot: a palette gradient, moving elements of its scene kind, camera effects."""

    def __init__(self, shot: Shot):
        self.s = shot
        rng = np.random.default_rng(shot.seed)
        self.rng_frames = rng.normal(0, 1, size=(shot.length, 4))
        w, h = FORMAT.width, FORMAT.height
        top = _rgb(shot.hue, shot.saturation, shot.brightness)
        bottom = _rgb(shot.hue2, shot.saturation, shot.brightness * 0.55)
        ramp = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
        self.bg = (top * (1 - ramp) + bottom * ramp) * np.ones((1, w, 1), np.float32)
        if shot.scene == "sepia":
            grey = self.bg.mean(axis=2, keepdims=True)
            self.bg = grey * np.array([1.07, 0.95, 0.78], np.float32)
        count = {"burst": 14, "streaks": 22, "cartoon": 7, "night": 60, "stars": 80, "flicker": 5,
                 "sparkle": 40, "bokeh": 12, "gradient": 4, "sepia": 3, "portrait": 2}.get(shot.scene, 6)
        self.pos = rng.uniform([0, 0], [w, h], size=(count, 2))
        speed = 2 + 18 * shot.motion
        self.vel = rng.normal(0, speed, size=(count, 2))
        if shot.scene in ("streaks",):
            self.vel[:, 1] *= 0.1
            self.vel[:, 0] = np.abs(self.vel[:, 0]) * 3 + speed
        if shot.scene == "night":
            self.vel = np.tile([[-speed * 0.4, speed * 1.5]], (count, 1))
        self.size = rng.uniform(3, 30 if shot.scene in ("cartoon", "bokeh", "burst") else 10, size=count)
        self.colours = [tuple(int(c) for c in _rgb((shot.hue + rng.uniform(-60, 60)) % 360,
                                                   min(1.0, shot.saturation + 0.2), min(1.0, shot.brightness + 0.35)))
                        for _ in range(count)]
        self.faces = []
        if shot.scene == "portrait":
            n_faces = 2 if shot.genre == "romance" else 1
            for k in range(n_faces):
                idt = random_identity(rng, h)
                x = w / 2 if n_faces == 1 else w * (0.3 + 0.4 * k)
                mood = {"comedy": 0.9, "romance": 0.7, "family": 0.6, "drama": -0.6, "biography": 0.0}.get(shot.genre, 0.0)
                e = Expression(-0.5 * mood if mood < 0 else 0, 0, 0, mood, 0.3 * abs(mood), 0, 0)
                self.faces.append((FaceRenderer(idt), x, h / 2 + 10, e))

    def frame(self, i: int) -> np.ndarray:
        s, t = self.s, i / FORMAT.fps
        noise = self.rng_frames[i]
        gain = 1.0
        if s.scene == "flicker":
            gain = 0.6 + (1.6 if noise[0] > 1.6 else 0.0) + 0.2 * noise[1]
        img = Image.fromarray(np.clip(self.bg * gain, 0, 255).astype(np.uint8), "RGB")
        d = ImageDraw.Draw(img)
        w, h = FORMAT.width, FORMAT.height
        pos = self.pos + self.vel * t
        pos = np.mod(pos, [w, h])
        for k, ((x, y), r, c) in enumerate(zip(pos, self.size, self.colours)):
            self._element(d, s.scene, x, y, r, c, t, k)
        for renderer, x, y, e in self.faces:
            renderer.draw(img, (x + 3 * np.sin(t + x), y + 2 * np.sin(1.3 * t)), e)
        arr = np.asarray(img)
        if s.motion > 0.6:  # camera shake
            dx, dy = (noise[2:4] * 4 * (s.motion - 0.6)).astype(int)
            arr = np.roll(arr, (dy, dx), axis=(0, 1))
        return arr

    @staticmethod
    def _element(d: ImageDraw.ImageDraw, scene: str, x: float, y: float, r: float, c: tuple, t: float, k: int) -> None:
        if scene == "burst":
            rr = r * (1 + 3 * ((t * 1.5 + k * 0.37) % 1.0))
            d.ellipse([x - rr, y - rr, x + rr, y + rr], fill=(255, 160 + k % 80, 40))
        elif scene == "streaks":
            d.line([x - 40, y, x, y], fill=c, width=2)
        elif scene == "cartoon":
            box = [x - r, y - r, x + r, y + r]
            (d.ellipse if k % 2 else d.rectangle)(box, fill=c, outline=(0, 0, 0), width=3)
        elif scene == "night":
            d.line([x, y, x - 3, y + 9], fill=(150, 160, 190), width=1)
        elif scene == "stars":
            d.point([(x, y)], fill=(255, 255, 255)) if r < 6 else d.ellipse([x - 1, y - 1, x + 1, y + 1], fill=(230, 240, 255))
        elif scene == "flicker":
            d.ellipse([x - r, y - r * 2, x + r, y + r * 2], fill=(90, 0, 0))
        elif scene == "sparkle":
            a = 1 + 2 * abs(np.sin(3 * t + k))
            d.line([x - a, y, x + a, y], fill=(255, 250, 200))
            d.line([x, y - a, x, y + a], fill=(255, 250, 200))
        elif scene == "bokeh":
            d.ellipse([x - r, y - r, x + r, y + r], fill=tuple(min(255, int(v * 1.1)) for v in c))
        else:  # gradient, sepia, portrait: a few slow soft shapes
            d.ellipse([x - r, y - r, x + r, y + r], fill=c)


def _frames(plan: GenrePlan):
    for shot in plan.shots:
        r = ShotRenderer(shot)
        for i in range(shot.length):
            yield r.frame(i)


def render_genre(plan: GenrePlan, files: ClipFiles, work: Path) -> dict:
    """Writes the trailer and its captions; returns the metadata that describes them."""
    track, cues = _audio(plan, work)
    wav = work / "audio.wav"
    audio.write_wav(track, wav)
    subtitle_file = None
    if plan.sidecar:
        captions.write(cues, files.captions)
    if plan.embedded:
        subtitle_file = work / "embedded.srt"
        captions.write(cues, subtitle_file)
    encode.encode_mp4(_frames(plan), FORMAT, wav, files.media, subtitle_file, work)
    m = plan.music
    return {
        "title": plan.title,
        "plot": " ".join(s for s, _ in plan.plot),
        "duration_s": plan.duration,
        "label_weights": {k: round(v, 4) for k, v in plan.weights.items()},
        "narration": [{"start": c.start, "end": c.end, "text": c.text} for c in cues],
        "generator": {
            "plot_sources": [g for _, g in plan.plot],
            "shots": [{"start_s": round(s.start / FORMAT.fps, 3), "genre": s.genre, "scene": s.scene}
                      for s in plan.shots],
            "music": {"tempo_bpm": round(m.tempo, 1), "mode": "major" if m.major else "minor",
                      "wave": m.wave, "drums": round(m.drums, 3)},
        },
    }
