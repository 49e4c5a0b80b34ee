/**
 * Audio features: 16 kHz mono PCM to {@code AudioFeatures} records (topic {@code mm.audio.logmel}) of
 * ~1 s each: 64-band natural-log mel energies (librosa's definition) and per-frame prosody (TarsosDSP
 * YIN pitch, voicing, dBFS energy) on 25 ms frames every 10 ms. Entry point: {@link
 * dev.mmstream.ingest.audio.AudioFeaturizer}; model steps: {@link dev.mmstream.ingest.audio.AudioPooling}.
 * Verified against librosa with the fixtures of training/mmstream_training/golden/audio_golden.py.
 */
package dev.mmstream.ingest.audio;
