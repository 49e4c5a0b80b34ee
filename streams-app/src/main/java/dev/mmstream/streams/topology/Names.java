package dev.mmstream.streams.topology;

/** Names of the topology's nodes and stores: stable, so describe() reads well and changelogs survive refactors. */
final class Names {
  static final String SOURCE_EVENTS = "read-stream-events";
  static final String SOURCE_FRAMES = "read-video-frames";
  static final String SOURCE_AUDIO = "read-audio-logmel";
  static final String SOURCE_TOKENS = "read-text-tokens";
  static final String DECODE_EVENTS = "decode-stream-events";
  static final String DECODE_FRAMES = "decode-video-frames";
  static final String DECODE_AUDIO = "decode-audio-logmel";
  static final String DECODE_TOKENS = "decode-text-tokens";
  static final String ALIGN = "align";
  static final String SCORE = "score";
  static final String ROUTE = "route";
  static final String EMOTION_PREDICTIONS = "write-emotion-predictions";
  static final String GENRE_PREDICTIONS = "write-genre-predictions";
  static final String DEAD_LETTERS = "write-dead-letters";
  static final String SESSIONS_STORE = "stream-sessions";
  static final String BUFFER_STORE = "feature-buffer";
  static final String READY_STORE = "ready-windows";

  private Names() {}
}
