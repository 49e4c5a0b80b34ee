/**
 * Transcript side of ingest: caption files (SRT, WebVTT) and embedded text subtitle streams become
 * {@link dev.mmstream.ingest.transcript.Cue}s; {@link dev.mmstream.ingest.transcript.TokenFeaturizer}
 * turns cues into per-token all-MiniLM-L6-v2 states ({@code TokenFeatures} on {@code mm.text.tokens}).
 */
package dev.mmstream.ingest.transcript;
