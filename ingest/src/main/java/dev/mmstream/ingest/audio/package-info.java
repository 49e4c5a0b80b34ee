/**
 * Audio features: 16 kHz mono PCM to {@code AudioFeatures} records (topic {@code mm.audio.logmel}) of
 * ~1 s each: 64-band natural-log mel energies (librosa's definition) and per-frame prosody (TarsosDSP
 * YIN pitch, voicing, dBFS energy) on 25 ms frames every 10 ms. Entry point: {@link
 * dev.mmstream.ingest.audio.AudioFeaturizer}; pooling into model steps lives in the shared window assembler (align module).
 * Verified against librosa with the fixtures of training/mmstream_training/golden/audio_golden.py.
 */
package dev.mmstream.ingest.audio;
