package dev.mmstream.ingest.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a batch has ingested, so that a trailer is never ingested twice, across restarts too: one tab-separated
 * line per trailer (fingerprint, stream id, {@code ok} or {@code failed}, time, detail), appended and synced to
 * disk once Kafka has acknowledged all of the trailer's records (or once it failed). A failed trailer is not
 * tried again either: replacing the file (a new size or modification time) or deleting its line retries it.
 */
public final class IngestLedger {
  private final Path file;
  private final Map<String, String> outcomes = new HashMap<>();

  private IngestLedger(Path file) {
    this.file = file;
  }

  /** Reads the ledger at {@code file} (none yet: empty). */
  public static IngestLedger open(Path file) {
    var ledger = new IngestLedger(file);
    if (Files.exists(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          String[] fields = line.split("\t", -1);
          if (fields.length >= 3) {
            ledger.outcomes.put(fields[0], fields[2]);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the ingest ledger " + file + ": " + e.getMessage(), e);
      }
    }
    return ledger;
  }

  public Path file() {
    return file;
  }

  /** {@code ok} or {@code failed} when this trailer (this very file) was ingested before. */
  public synchronized Optional<String> outcome(Trailer trailer) {
    return Optional.ofNullable(outcomes.get(trailer.fingerprint()));
  }

  synchronized void record(Trailer trailer, boolean ok, String detail) {
    String line = String.join("\t", trailer.fingerprint(), trailer.streamId(), ok ? "ok" : "failed",
        Instant.now().toString(), detail.replaceAll("[\\t\\r\\n]+", " ")) + "\n";
    try {
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.DSYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ingest ledger " + file + ": " + e.getMessage(), e);
    }
    outcomes.put(trailer.fingerprint(), ok ? "ok" : "failed");
  }
}
