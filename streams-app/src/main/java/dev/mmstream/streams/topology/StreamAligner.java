package dev.mmstream.streams.topology;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.align.CatalogueInputs;
import dev.mmstream.align.MalformedFeaturesException;
import dev.mmstream.align.WindowAssembler;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.align.WindowSpec;
import dev.mmstream.schema.v1.CatalogueFeatures;
import dev.mmstream.schema.v1.DeadLetter;
import dev.mmstream.schema.v1.DeadLetterReason;
import dev.mmstream.schema.v1.Modality;
import dev.mmstream.schema.v1.StreamEvent;
import dev.mmstream.schema.v1.StreamEventType;
import dev.mmstream.schema.v1.Task;
import dev.mmstream.streams.config.AlignmentConfig;
import dev.mmstream.streams.deadletter.DeadLetters;
import dev.mmstream.streams.inference.WindowScorer;
import dev.mmstream.streams.state.v1.SessionTask;
import dev.mmstream.streams.state.v1.StreamSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The align stage, per stream: buffers feature records, closes windows in event time, and hands each
 * closed window to the scoring stage. Emotion windows hop over the stream from its origin and close once both audio
 * and video have moved a grace period past their end (each modality arrives in order, so nothing
 * that belongs to a closed window can still come); END closes every window at once, and a stream
 * silent for the idle timeout has its windows closed by a wall-clock punctuator. A genre stream has
 * one window, closed at END. Records that cannot join a window (late, other features than the model's, no
 * START in time) go to the router as dead letters.
 */
final class StreamAligner implements Processor<String, Flow, String, Flow> {

  private final AlignmentConfig config;
  private final WindowScorer scorer;
  private final DeadLetters deadLetters;
  private final AlignerMetrics metrics;
  /** 2100-01-01: an origin beyond it is a corrupt field, not a time. */
  static final long MAX_ORIGIN_MS = 4_102_444_800_000L;
  /** The longest gap in media time a stream may jump over: a live source's outage, not a corrupt timestamp. */
  static final long MAX_MEDIA_JUMP_MS = 10 * 60_000L;
  /**
   * How long an ended stream is remembered after its last activity: its stragglers are dead-lettered as late records
   * of an ended stream; then it is forgotten, so the session store holds the streams of the last minutes, not every
   * stream ever served.
   */
  static final Duration ENDED_RETENTION = Duration.ofMinutes(10);

  private final WindowAssembler emotionAssembler = new WindowAssembler(WindowSpec.emotion());
  private final WindowAssembler genreAssembler = new WindowAssembler(WindowSpec.genre());
  private ProcessorContext<String, Flow> context;
  private KeyValueStore<String, StreamSession> sessions;
  private FeatureBuffer buffer;

  StreamAligner(AlignmentConfig config, WindowScorer scorer, DeadLetters deadLetters, AlignerMetrics metrics) {
    this.config = config;
    this.scorer = scorer;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Flow> context) {
    this.context = context;
    this.sessions = context.getStateStore(Names.SESSIONS_STORE);
    this.buffer = new FeatureBuffer(context.getStateStore(Names.BUFFER_STORE));
    context.schedule(Duration.ofMillis(250), PunctuationType.WALL_CLOCK_TIME, this::closeIdleStreams);
  }

  @Override
  public void process(Record<String, Flow> record) {
    if (record.value() instanceof Input.Event event) {
      String badOrigin = originOutOfRange(event.event());
      if (badOrigin != null) {
        deadLetter(event.provenance(), DeadLetterReason.BAD_SHAPE, badOrigin);
        return;
      }
      onEvent(record.key(), event.event());
    } else if (record.value() instanceof Input.Feature feature) {
      onFeature(record.key(), feature);
    }
  }

  private void onEvent(String streamId, StreamEvent event) {
    StreamSession session = sessionOf(streamId);
    switch (event.getType()) {
      case START -> {
        if (session.getEnded() && session.getOriginMs() != event.getOriginMs()) {
          // the same id again with a new origin (a replaced trailer, a source started over): a new stream, not
          // late records of the one that ended
          session = freshSession(streamId);
        }
        session.setStarted(true);
        session.setTask(SessionTask.valueOf(event.getTask().name()));
        session.setOriginMs(event.getOriginMs());
        session.setMetadata(event.getMetadata());
        session.setTextOnly(event.getModalities().equals(List.of(Modality.TEXT)));
        keepCatalogue(session, event.getCatalogue());
        session.setLastActivityWallMs(now());
        closeDueWindows(session);
      }
      case END -> {
        long reached = Math.max(0, session.getMaxMediaMs());
        long end = event.getMediaEndMs() != null ? event.getMediaEndMs() : reached;
        // an END far past the last record would close every empty window up to it: it ends where data could be
        session.setMediaEndMs(Math.max(reached, Math.min(end, reached + MAX_MEDIA_JUMP_MS)));
        session.setLastActivityWallMs(now());
        if (session.getStarted() && reachedEnd(session)) {
          closeEverything(session);
        }
      }
      default -> { /* ERROR events are informational */ }
    }
    sessions.put(streamId, session);
  }

  private void onFeature(String streamId, Input.Feature f) {
    StreamSession session = sessionOf(streamId);
    String outOfRange = timeOutOfRange(session, f);
    if (outOfRange != null) {
      deadLetter(f, DeadLetterReason.BAD_SHAPE, outOfRange);
      return;
    }
    String lateBecause = lateReason(session, f);
    if (lateBecause != null) {
      metrics.lateRecord();
      deadLetter(f, DeadLetterReason.LATE_RECORD, lateBecause);
      return;
    }
    String mismatch = specMismatch(session, f);
    if (mismatch != null) {
      deadLetter(f, DeadLetterReason.SPEC_MISMATCH, mismatch);
      return;
    }
    var p = f.provenance();
    buffer.put(streamId, f.modality(), f.startMs(), p.offset(), p.value(), f.rows());
    if (f.modality() == BufferKey.AUDIO) {
      session.setAudioProgressMs(Math.max(session.getAudioProgressMs(), f.endMs()));
    } else if (f.modality() == BufferKey.VIDEO) {
      session.setVideoProgressMs(Math.max(session.getVideoProgressMs(), f.endMs()));
    } else {
      session.setTextProgressMs(Math.max(session.getTextProgressMs(), f.endMs()));
    }
    session.setMaxMediaMs(Math.max(session.getMaxMediaMs(), f.endMs()));
    session.setLastActivityWallMs(now());
    if (session.getStarted()) {
      closeDueWindows(session);
    }
    sessions.put(streamId, session);
  }

  /**
   * Whether the stream's data had reached its END when the END came. END comes on its own topic and can be
   * processed before the last frames or chunks of the other topics (Kafka Streams orders a task's partitions by
   * record timestamp, and a partition waiting behind a record from the far future falls behind). Then nothing says
   * which record is the last, so the windows stay open until the stream has been silent for the idle timeout, and
   * the records that were overtaken still count.
   */
  private boolean reachedEnd(StreamSession s) {
    long progress = s.getTextOnly() ? s.getTextProgressMs() : watermark(s);
    if (progress < 0) {
      progress = s.getMaxMediaMs();
    }
    return progress >= s.getMediaEndMs() - config.grace().toMillis();
  }

  /**
   * A record before the stream's start, or further ahead of what the stream has shown than any gap a live
   * source has: a corrupt timestamp, which would otherwise close every window in between, one by one.
   */
  private static String timeOutOfRange(StreamSession session, Input.Feature f) {
    long reached = Math.max(0, session.getMaxMediaMs());
    if (f.startMs() < 0 || f.endMs() < f.startMs()) {
      return "record spans " + f.startMs() + ".." + f.endMs() + " ms: media time must be >= 0 and end after it starts";
    }
    if (f.endMs() > reached + MAX_MEDIA_JUMP_MS) {
      return "record at " + f.startMs() + " ms is more than " + MAX_MEDIA_JUMP_MS / 60_000 + " min ahead of the stream ("
          + reached + " ms so far): a corrupt timestamp";
    }
    return null;
  }

  /** A START whose origin is no wall-clock time would give its windows negative or absurd event times. */
  private static String originOutOfRange(StreamEvent event) {
    if (event.getType() == StreamEventType.START && (event.getOriginMs() < 0 || event.getOriginMs() > MAX_ORIGIN_MS)) {
      return "START of stream " + event.getStreamId() + " has origin_ms " + event.getOriginMs()
          + ": not a wall-clock time in epoch milliseconds";
    }
    return null;
  }

  private String lateReason(StreamSession session, Input.Feature f) {
    if (session.getEnded()) {
      return "stream " + session.getStreamId() + " has ended; record at " + f.startMs() + " ms arrived after END";
    }
    if (session.getTask() == SessionTask.EMOTION && session.getNextWindowStartMs() > 0
        && f.endMs() <= session.getNextWindowStartMs()) {
      return "record spans " + f.startMs() + ".." + f.endMs() + " ms but every window up to "
          + session.getNextWindowStartMs() + " ms is already closed";
    }
    return null;
  }

  private String specMismatch(StreamSession session, Input.Feature f) {
    if (!session.getStarted()) {
      return null;
    }
    var contract = scorer.contract(Task.valueOf(session.getTask().name()));
    if (contract.isEmpty()) {
      return null;
    }
    String modality = f.modality() == BufferKey.AUDIO ? "audio" : f.modality() == BufferKey.VIDEO ? "video" : "text";
    String expected = contract.get().specFor(modality);
    if (expected == null || expected.equals(f.specId())) {
      return null;
    }
    return modality + " spec id '" + f.specId() + "' differs from model " + contract.get().name() + " "
        + contract.get().version() + " ('" + expected + "'): re-ingest with the model's featurizer or serve a model trained on these features";
  }

  private void closeDueWindows(StreamSession session) {
    if (session.getTask() != SessionTask.EMOTION) {
      return;
    }
    long watermark = watermark(session);
    long size = config.windowSize().toMillis();
    while (session.getNextWindowStartMs() + size + config.grace().toMillis() <= watermark) {
      closeEmotionWindow(session);
    }
  }

  /**
   * How far every continuous modality (audio, video) has progressed; text is sparse and released early, so it
   * counts only in a stream that declared it carries nothing else.
   */
  private static long watermark(StreamSession s) {
    if (s.getTextOnly()) {
      return s.getTextProgressMs();
    }
    long audio = s.getAudioProgressMs();
    long video = s.getVideoProgressMs();
    if (audio < 0 && video < 0) {
      return -1;
    }
    return audio < 0 ? video : video < 0 ? audio : Math.min(audio, video);
  }

  private void closeEverything(StreamSession session) {
    long end = session.getMediaEndMs() != null ? session.getMediaEndMs() : session.getMaxMediaMs();
    if (session.getTask() == SessionTask.EMOTION) {
      while (session.getNextWindowStartMs() < end) {
        closeEmotionWindow(session);
      }
    } else if (session.getTask() == SessionTask.GENRE && end > 0) {
      closeWindow(session, genreAssembler, Task.GENRE, new WindowBounds(0, Math.min(end, config.genreMaxDuration().toMillis())),
          catalogueOf(session));
    }
    session.setEnded(true);
    buffer.deleteAll(session.getStreamId());
  }

  private void closeEmotionWindow(StreamSession session) {
    long start = session.getNextWindowStartMs();
    closeWindow(session, emotionAssembler, Task.EMOTION, new WindowBounds(start, start + config.windowSize().toMillis()),
        CatalogueInputs.NONE);
    session.setNextWindowStartMs(start + config.advance().toMillis());
    buffer.pruneBefore(session.getStreamId(), session.getNextWindowStartMs());
  }

  private void closeWindow(StreamSession session, WindowAssembler assembler, Task task, WindowBounds bounds,
      CatalogueInputs catalogue) {
    String streamId = session.getStreamId();
    var features = buffer.read(streamId, bounds.startMs(), bounds.endMs());
    AssembledWindow window;
    try {
      window = assembler.assemble(streamId, task, features, bounds).withCatalogue(catalogue);
    } catch (MalformedFeaturesException e) {
      route(streamId, DeadLetterReason.BAD_SHAPE, deadLetters.forWindow(DeadLetterReason.BAD_SHAPE, e.getMessage(),
          session.getOriginMs() + bounds.startMs(), session.getOriginMs() + bounds.endMs(), streamId.getBytes(StandardCharsets.UTF_8), null));
      return;
    }
    context.forward(new Record<>(streamId, new ClosedWindow(streamId, session.getOriginMs(), now(), window), now()), Names.SCORE);
  }

  /** A trailer's poster and metadata come once, in START, and go into its one window at END. */
  private static void keepCatalogue(StreamSession session, CatalogueFeatures catalogue) {
    session.setCataloguePoster(catalogue == null ? null : catalogue.getPoster());
    session.setCatalogueMetadata(catalogue == null ? null : catalogue.getMetadata());
    session.setCatalogueSpecIds(catalogue == null ? new HashMap<>() : catalogue.getSpecIds());
  }

  private static CatalogueInputs catalogueOf(StreamSession session) {
    return CatalogueInputs.of(session.getCataloguePoster() == null && session.getCatalogueMetadata() == null ? null
        : new CatalogueFeatures(session.getCataloguePoster(), session.getCatalogueMetadata(), session.getCatalogueSpecIds()));
  }

  private void closeIdleStreams(long nowMs) {
    var idle = new ArrayList<StreamSession>();
    var abandoned = new ArrayList<StreamSession>();
    var forgotten = new ArrayList<String>();
    try (var it = sessions.all()) {
      it.forEachRemaining(kv -> {
        StreamSession s = kv.value;
        if (!s.getStarted() && nowMs - s.getFirstSeenWallMs() > config.startTimeout().toMillis()) {
          abandoned.add(s);
        } else if (s.getStarted() && !s.getEnded() && nowMs - s.getLastActivityWallMs() > config.idleTimeout().toMillis()) {
          idle.add(s);
        } else if (s.getEnded() && nowMs - s.getLastActivityWallMs() > ENDED_RETENTION.toMillis()) {
          forgotten.add(s.getStreamId());
        }
      });
    }
    forgotten.forEach(sessions::delete);
    for (StreamSession s : idle) {
      if (s.getMediaEndMs() != null) {  // END came and the data never caught up with it
        closeEverything(s);
      } else if (s.getTask() == SessionTask.EMOTION) {
        while (s.getNextWindowStartMs() < s.getMaxMediaMs()) {
          closeEmotionWindow(s);
        }
        s.setLastActivityWallMs(nowMs);
      } else {
        closeEverything(s);
      }
      sessions.put(s.getStreamId(), s);
    }
    abandoned.forEach(this::deadLetterAbandoned);
  }

  private void deadLetterAbandoned(StreamSession s) {
    String detail = "no START for stream " + s.getStreamId() + " within " + config.startTimeout().toSeconds() + " s of its first record";
    byte[] key = s.getStreamId().getBytes(StandardCharsets.UTF_8);
    buffer.forEach(s.getStreamId(), (modality, bytes) -> route(s.getStreamId(), DeadLetterReason.MISSING_START,
        deadLetters.forRecord(DeadLetterReason.MISSING_START, detail, null, -1, -1, key, bytes)));
    buffer.deleteAll(s.getStreamId());
    sessions.delete(s.getStreamId());
  }

  private void deadLetter(Input.Feature f, DeadLetterReason reason, String detail) {
    deadLetter(f.provenance(), reason, detail);
  }

  private void deadLetter(Input.Provenance p, DeadLetterReason reason, String detail) {
    route(new String(p.key(), StandardCharsets.UTF_8), reason,
        deadLetters.forRecord(reason, detail, p.topic(), p.partition(), p.offset(), p.key(), p.value()));
  }

  private void route(String streamId, DeadLetterReason reason, DeadLetter letter) {
    context.forward(new Record<>(streamId, new Outcome.DeadLettered(reason, letter), now()), Names.ROUTE);
  }

  private StreamSession sessionOf(String streamId) {
    StreamSession s = sessions.get(streamId);
    return s == null ? freshSession(streamId) : s;
  }

  private StreamSession freshSession(String streamId) {
    return StreamSession.newBuilder().setStreamId(streamId).setFirstSeenWallMs(now()).setLastActivityWallMs(now()).build();
  }

  private long now() {
    return context.currentSystemTimeMs();
  }

}
