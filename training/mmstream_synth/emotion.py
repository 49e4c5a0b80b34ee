"""Emotion clips: a speaking face whose voice, words, expression and backdrop depend on 1-3 labels.

`plan_emotion` draws every random choice of a clip from its own generator (no I/O);
`render_emotion` turns the plan into media with espeak-ng, SoX and ffmpeg. The generative model,
with how strongly each modality reveals the labels, is documented in README.md.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from . import audio, captions, encode
from .clip import ClipFiles, Modality, caption_layout, corruption
from .face import NEUTRAL, Expression, FaceRenderer, Identity, random_identity
from .labels import EMOTIONS, mixture_weights, sample_labels
from .phrases import EMOTION_PHRASES, NEUTRAL_PHRASES

FORMAT = encode.VideoFormat(width=320, height=240, fps=15)


@dataclass(frozen=True)
class Profile:
    """What one emotion does to each modality, at full intensity."""

    face: Expression
    pitch: float  # espeak -p offset
    speed: float  # words per minute offset
    amplitude: float  # espeak -a offset
    log_range: float  # log of the SSML pitch-range factor
    variants: tuple[str, ...]  # espeak voice variants this emotion prefers
    effects: tuple[str, ...]  # SoX effects chain
    snr_db: float  # background noise level
    hue: float  # backdrop hue in degrees
    brightness: float  # backdrop value, 0..1
    motion: float  # backdrop stripe speed and head jitter, 0..1


PROFILES = {
    "anger": Profile(Expression(-1.0, -0.3, -0.45, -0.5, 0.35, 0.2, 0.0), 2, 45, 45, 0.25,
                     ("m3", "m7", "croak"), ("overdrive", "12", "20"), 12, 2, 0.6, 0.9),
    "disgust": Profile(Expression(-0.5, -0.2, -0.6, -0.5, 0.1, 0.0, 1.0), -8, -20, 0, -0.1,
                       ("m2", "f2", "klatt2"), ("lowpass", "1800"), 15, 95, 0.45, 0.3),
    "fear": Profile(Expression(0.9, 0.8, 0.9, -0.4, 0.55, 0.5, 0.0), 22, 30, -15, 0.15,
                    ("f4", "m4", "whisperf"), ("tremolo", "9", "70"), 10, 275, 0.3, 0.85),
    "happy": Profile(Expression(0.0, 0.2, -0.2, 1.0, 0.45, 0.4, 0.0), 15, 20, 15, 0.45,
                     ("f1", "f5", "m1"), (), 22, 52, 0.85, 0.5),
    "sad": Profile(Expression(0.9, 0.0, -0.4, -0.9, 0.0, -0.2, 0.0), -18, -50, -40, -0.7,
                   ("m2", "f3", "whisper"), ("reverb", "60", "50", "80"), 25, 222, 0.3, 0.1),
    "surprise": Profile(Expression(0.1, 1.0, 1.0, 0.1, 0.95, -0.4, 0.0), 28, 5, 20, 0.7,
                        ("f5", "m5", "klatt3"), ("echo", "0.8", "0.7", "90", "0.35"), 18, 185, 0.8, 0.65),
}
ALL_VARIANTS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5",
                "klatt2", "klatt3", "croak", "whisper", "whisperf")


@dataclass(frozen=True)
class Sentence:
    text: str
    source: str  # the emotion whose phrase set it came from, or "neutral"


@dataclass(frozen=True)
class VideoPlan:
    identity: Identity
    expression: Expression
    hue: float
    brightness: float
    motion: float
    black: bool


@dataclass(frozen=True)
class AudioPlan:
    voice: audio.Voice
    effects: tuple[str, ...]
    snr_db: float
    noise_tilt: float
    silent: bool


@dataclass(frozen=True)
class EmotionPlan:
    clip_id: str
    seed: int
    index: int
    difficulty: float
    labels: tuple[str, ...]
    weights: dict[str, float]
    intensity: float
    n_frames: int
    modalities: dict[str, Modality]
    decoys: tuple[str, ...]
    sidecar: str | None  # "srt", "vtt" or None
    embedded: bool
    video: VideoPlan
    audio: AudioPlan
    candidates: tuple[Sentence, ...]  # spoken in order while they fit in the clip
    lead_in: float
    pauses: tuple[float, ...]
    render_seed: tuple[int, ...] = field(default=())

    @property
    def duration(self) -> float:
        return self.n_frames / FORMAT.fps


def _mix(weights: dict[str, float], attr: str) -> float:
    return sum(w * getattr(PROFILES[n], attr) for n, w in weights.items())


def _mix_expression(weights: dict[str, float], intensity: float) -> np.ndarray:
    e = sum(w * np.array(PROFILES[n].face.as_tuple()) for n, w in weights.items())
    return intensity * e


def _mix_hue(weights: dict[str, float]) -> float:
    """Circular mean of the labels' hues, so red (2) and magenta (350) do not average to cyan."""
    z = sum(w * np.exp(1j * np.deg2rad(PROFILES[n].hue)) for n, w in weights.items())
    return float(np.rad2deg(np.angle(z)) % 360)


def _plan_video(rng: np.random.Generator, weights: dict[str, float], intensity: float, d: float,
                black: bool) -> VideoPlan:
    e = _mix_expression(weights, intensity) + rng.normal(0.0, 0.1 + 0.45 * d, size=7)
    e[4] = np.clip(e[4], 0.0, 1.0)
    e[6] = np.clip(e[6], 0.0, 1.0)
    hue = _mix_hue(weights) + rng.normal(0.0, 15 + 50 * d)
    if rng.random() < 0.1 + 0.4 * d:
        hue = rng.uniform(0, 360)  # an uninformative backdrop
    return VideoPlan(
        identity=random_identity(rng, FORMAT.height),
        expression=Expression(*np.clip(e, -1.3, 1.3).tolist()),
        hue=float(hue % 360),
        brightness=float(np.clip(_mix(weights, "brightness") + rng.normal(0, 0.05 + 0.15 * d), 0.12, 0.95)),
        motion=float(np.clip(_mix(weights, "motion") + rng.normal(0, 0.1 + 0.2 * d), 0.0, 1.0)),
        black=black,
    )


def _plan_audio(rng: np.random.Generator, weights: dict[str, float], intensity: float, d: float,
                silent: bool) -> AudioPlan:
    female = rng.random() < 0.5
    base_pitch = rng.normal(55 if female else 38, 6)
    primary = max(weights, key=weights.get)
    if rng.random() < 0.6 - 0.4 * d:
        variant = str(rng.choice(PROFILES[primary].variants))
    else:
        variant = str(rng.choice(ALL_VARIANTS))
    voice = audio.Voice(
        variant=variant,
        pitch=int(np.clip(base_pitch + intensity * _mix(weights, "pitch") + rng.normal(0, 4 + 10 * d), 5, 99)),
        speed=int(np.clip(165 + intensity * _mix(weights, "speed") + rng.normal(0, 8 + 25 * d), 100, 260)),
        amplitude=int(np.clip(100 + intensity * _mix(weights, "amplitude") + rng.normal(0, 5 + 20 * d), 30, 200)),
        pitch_range=int(np.clip(100 * np.exp(intensity * _mix(weights, "log_range") + rng.normal(0, 0.1 + 0.3 * d)), 20, 300)),
    )
    effects: list[str] = []
    for name, w in weights.items():
        if PROFILES[name].effects and rng.random() < (0.85 - 0.5 * d) * min(1.0, 2 * w):
            effects += PROFILES[name].effects
    if rng.random() < 0.05 + 0.25 * d:  # a spurious effect that says nothing about the labels
        other = PROFILES[str(rng.choice(EMOTIONS))].effects
        if other and other[0] not in effects:
            effects += other
    snr = _mix(weights, "snr_db") + rng.normal(0, 2 + 4 * d) - 8 * d
    return AudioPlan(voice, tuple(effects), float(snr), float(rng.uniform(0.0, 0.9)), silent)


def _plan_sentences(rng: np.random.Generator, weights: dict[str, float], d: float) -> tuple[Sentence, ...]:
    names, w = list(weights), np.array(list(weights.values()))
    out = []
    for _ in range(6):
        if rng.random() < 0.7 - 0.35 * d:
            if rng.random() < 0.9 - 0.3 * d:
                source = str(rng.choice(names, p=w / w.sum()))
            else:
                source = str(rng.choice(EMOTIONS))  # a misleading phrase
            out.append(Sentence(str(rng.choice(EMOTION_PHRASES[source])), source))
        else:
            out.append(Sentence(str(rng.choice(NEUTRAL_PHRASES)), "neutral"))
    return tuple(out)


def plan_emotion(clip_id: str, seed: int, index: int, difficulty: float) -> EmotionPlan:
    rng = np.random.default_rng([seed, index, 0xE0])
    d = difficulty
    labels = sample_labels(rng, "emotion")
    weights = mixture_weights(rng, labels)
    intensity = float(rng.uniform(0.55, 1.0))
    modalities, contradicted = corruption(rng)
    decoys = sample_labels(rng, "emotion", exclude=labels) if contradicted else ()
    decoy_w = mixture_weights(rng, decoys) if decoys else {}

    def source(m: str) -> dict[str, float]:
        return decoy_w if modalities[m] == Modality.CONTRADICTS else weights

    sidecar, embedded = caption_layout(rng, modalities["text"])
    return EmotionPlan(
        clip_id=clip_id, seed=seed, index=index, difficulty=d, labels=labels, weights=weights,
        intensity=intensity, n_frames=int(round(rng.uniform(6.0, 10.0) * FORMAT.fps)),
        modalities=modalities, decoys=decoys, sidecar=sidecar, embedded=embedded,
        video=_plan_video(rng, source("video"), intensity, d, modalities["video"] == Modality.MISSING),
        audio=_plan_audio(rng, source("audio"), intensity, d, modalities["audio"] == Modality.MISSING),
        candidates=_plan_sentences(rng, source("text"), d),
        lead_in=float(rng.uniform(0.3, 0.7)),
        pauses=tuple(float(x) for x in rng.uniform(0.25, 0.6, size=6)),
        render_seed=(seed, index, 0xE1),
    )


def _speech_track(plan: EmotionPlan, work: Path) -> tuple[np.ndarray, list[captions.Cue], list[Sentence]]:
    """Speaks candidate sentences in order while they fit; returns the dry track and its cues."""
    n = int(round(plan.duration * audio.RATE))
    track = np.zeros(n, np.float32)
    cues, spoken = [], []
    t = plan.lead_in
    for sentence, pause in zip(plan.candidates, plan.pauses):
        x = audio.speak(sentence.text, plan.audio.voice, work)
        end = t + x.size / audio.RATE
        if end > plan.duration - 0.2:
            if spoken:
                break
            x = x[:int((plan.duration - 0.2 - t) * audio.RATE)]  # one long sentence: cut it
            end = t + x.size / audio.RATE
        start = int(round(t * audio.RATE))
        track[start:start + x.size] = x
        cues.append(captions.Cue(round(t, 3), round(end, 3), sentence.text))
        spoken.append(sentence)
        t = end + pause
    return track, cues, spoken


def _audio_track(plan: EmotionPlan, dry: np.ndarray, work: Path) -> np.ndarray:
    if plan.audio.silent:
        return np.zeros_like(dry)
    rng = np.random.default_rng([*plan.render_seed, 1])
    wet = audio.sox_effects(dry, list(plan.audio.effects), work)
    return audio.peak_normalise(audio.add_noise(wet, rng, plan.audio.snr_db, plan.audio.noise_tilt))


class EmotionVideo:
    """Frames of the talking face on its moving backdrop; deterministic given the plan."""

    def __init__(self, plan: EmotionPlan, with_face: bool = True):
        self.plan, v = plan, plan.video
        self.with_face = with_face  # False only for face_check's negative control
        self.face = FaceRenderer(v.identity)
        r, g, b = colorsys.hsv_to_rgb(v.hue / 360.0, 0.45, v.brightness)
        self.base = np.array([r, g, b], np.float32) * 255.0
        yy, xx = np.mgrid[0:FORMAT.height, 0:FORMAT.width].astype(np.float32)
        rng = np.random.default_rng([*plan.render_seed, 2])
        angle = rng.uniform(0, np.pi)
        phase = (xx * np.cos(angle) + yy * np.sin(angle)) / rng.uniform(40, 90)
        # Stripes scroll by shifting a uint8 phase index that wraps like the sine (256 steps a cycle).
        self.phase = (np.mod(phase, 1.0) * 256).astype(np.uint8)
        self.wave = 1.0 + 0.18 * np.sin(2 * np.pi * np.arange(256) / 256.0)
        steps = plan.n_frames
        jitter = 0.6 + 3.0 * v.motion
        self.offsets = np.cumsum(rng.normal(0, jitter * 0.35, size=(steps, 2)), axis=0)
        self.offsets -= np.linspace(0, 1, steps)[:, None] * self.offsets[-1]  # drift back to centre
        self.offsets += rng.normal(0, jitter * 0.4, size=(steps, 2))
        self.blinks = self._blinks(rng, steps)
        self.flicker = rng.normal(0, 0.08 * v.motion, size=steps)
        self.expression_noise = rng.normal(0, 0.04, size=(steps, 7))
        self.sway = rng.uniform(4, 10), rng.uniform(0, 2 * np.pi)

    @staticmethod
    def _blinks(rng: np.random.Generator, steps: int) -> np.ndarray:
        closed = np.zeros(steps, bool)
        t = int(rng.integers(10, 40))
        while t < steps:
            closed[t:t + 2] = True
            t += int(rng.integers(30, 75))
        return closed

    def frame(self, i: int, mouth: float) -> np.ndarray:
        if self.plan.video.black:
            return np.zeros((FORMAT.height, FORMAT.width, 3), np.uint8)
        v, t = self.plan.video, i / FORMAT.fps
        shift = np.uint8(int(256 * (0.1 + 1.2 * v.motion) * t) % 256)
        lut = np.clip(self.wave[:, None] * self.base[None, :] * (1.0 + self.flicker[i]), 0, 255).astype(np.uint8)
        img = Image.fromarray(lut[self.phase - shift], "RGB")
        e = np.array(v.expression.as_tuple()) + self.expression_noise[i]
        e[4] = np.clip(0.5 * e[4] + 0.6 * mouth, 0.0, 1.2)  # talking opens the mouth
        if self.blinks[i]:
            e[2] = -1.0
        if self.with_face:
            self.face.draw(img, self.face_centre(i), Expression(*e.tolist()))
        return np.asarray(img)

    def face_centre(self, i: int) -> tuple[float, float]:
        amp, ph = self.sway
        t = i / FORMAT.fps
        return (FORMAT.width / 2 + amp * np.sin(2 * np.pi * 0.15 * t + ph) + self.offsets[i, 0],
                FORMAT.height / 2 + 6 + self.offsets[i, 1])


def render_emotion(plan: EmotionPlan, files: ClipFiles, work: Path) -> dict:
    """Writes the clip's media and captions; returns the metadata that describes them."""
    dry, cues, spoken = _speech_track(plan, work)
    wav = work / "audio.wav"
    audio.write_wav(_audio_track(plan, dry, work), wav)
    mouth = audio.envelope(dry, FORMAT.fps, plan.n_frames)
    video = EmotionVideo(plan)
    subtitle_file = None
    if plan.modalities["text"] != Modality.MISSING:
        if plan.sidecar:
            captions.write(cues, files.captions)
        if plan.embedded:
            subtitle_file = work / "embedded.srt"
            captions.write(cues, subtitle_file)
    frames = (video.frame(i, float(mouth[i])) for i in range(plan.n_frames))
    encode.encode_mp4(frames, FORMAT, wav, files.media, subtitle_file, work)
    return {
        "title": f"Emotion clip {plan.index:05d}",
        "duration_s": plan.duration,
        "label_weights": {k: round(v, 4) for k, v in plan.weights.items()},
        "intensity": round(plan.intensity, 4),
        "transcript": [{"start": c.start, "end": c.end, "text": c.text, "source": s.source}
                       for c, s in zip(cues, spoken)],
        "generator": {
            "voice": plan.audio.voice.__dict__, "sox_effects": list(plan.audio.effects),
            "snr_db": round(plan.audio.snr_db, 2),
            "expression": dict(zip(("brow_tilt", "brow_raise", "eye_open", "mouth_curve", "mouth_open",
                                    "mouth_width", "sneer"), [round(x, 3) for x in plan.video.expression.as_tuple()])),
            "background": {"hue": round(plan.video.hue, 1), "brightness": round(plan.video.brightness, 3),
                           "motion": round(plan.video.motion, 3)},
        },
    }


def check_frame(plan: EmotionPlan, i: int, with_face: bool = True) -> tuple[Image.Image, tuple[float, float]]:
    """One frame as the video shows it (mouth half open) and where the face centre is."""
    video = EmotionVideo(plan, with_face)
    return Image.fromarray(video.frame(i, 0.5)), video.face_centre(i)
