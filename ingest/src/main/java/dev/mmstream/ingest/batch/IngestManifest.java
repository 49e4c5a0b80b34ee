package dev.mmstream.ingest.batch;

import dev.mmstream.ingest.extract.ClipMetadata;
import dev.mmstream.ingest.extract.CsvRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CSV list of trailers: column {@code media_path}, and optionally {@code stream_id} (else {@code clip_id}, else
 * the file's name), {@code captions_path} and {@code metadata_path}; paths relative to the manifest's folder unless
 * absolute; other columns are ignored, so {@code synth}'s and {@code extract}'s manifests are ingest manifests too.
 * A row that cannot be ingested (no such file, a bad metadata JSON) is a broken {@link Trailer} naming its line.
 */
public final class IngestManifest {
  private IngestManifest() {}

  /** @throws IllegalArgumentException when the file is unreadable or has no media_path column */
  public static List<Trailer> read(Path manifest) {
    String text;
    try {
      text = Files.readString(manifest, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --manifest " + manifest + ": " + e.getMessage(), e);
    }
    List<CsvRecords.Line> lines = CsvRecords.parse(text).stream()
        .filter(l -> l.fields().stream().anyMatch(f -> !f.isBlank())).toList();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("--manifest " + manifest + " is empty: it needs a header with media_path");
    }
    Map<String, Integer> header = new HashMap<>();
    List<String> names = lines.get(0).fields();
    for (int i = 0; i < names.size(); i++) {
      header.put(names.get(i).strip(), i);
    }
    if (!header.containsKey("media_path")) {
      throw new IllegalArgumentException("--manifest " + manifest + " has no media_path column (its header: "
          + String.join(",", names) + ")");
    }
    Path base = manifest.toAbsolutePath().getParent();
    var trailers = new ArrayList<Trailer>();
    for (CsvRecords.Line line : lines.subList(1, lines.size())) {
      trailers.add(row(line, header, base, manifest));
    }
    return trailers;
  }

  private static Trailer row(CsvRecords.Line line, Map<String, Integer> header, Path base, Path manifest) {
    String where = manifest.getFileName() + " line " + line.number() + ": ";
    String mediaField = field(line, header, "media_path");
    Path media = base.resolve(mediaField);
    String id = Optional.ofNullable(field(line, header, "stream_id")).filter(s -> !s.isBlank())
        .or(() -> Optional.ofNullable(field(line, header, "clip_id")).filter(s -> !s.isBlank()))
        .orElse(TrailerFolder.stem(media));
    if (mediaField == null || mediaField.isBlank()) {
      return Trailer.broken(id, base.resolve(id), where + "media_path is empty");
    }
    if (!Files.isRegularFile(media)) {
      return Trailer.broken(id, media, where + "no media file " + media);
    }
    Optional<Path> captions = Optional.ofNullable(field(line, header, "captions_path")).filter(s -> !s.isBlank()).map(base::resolve);
    if (captions.isPresent() && !Files.isRegularFile(captions.get())) {
      return Trailer.broken(id, media, where + "no captions file " + captions.get());
    }
    Optional<Path> json = Optional.ofNullable(field(line, header, "metadata_path")).filter(s -> !s.isBlank()).map(base::resolve);
    try {
      return Trailer.of(id, media, captions, json.map(ClipMetadata::read).orElse(Map.of()));
    } catch (IllegalArgumentException e) {
      return Trailer.broken(id, media, where + e.getMessage());
    }
  }

  private static String field(CsvRecords.Line line, Map<String, Integer> header, String column) {
    Integer i = header.get(column);
    return i == null || i >= line.fields().size() ? null : line.fields().get(i).strip();
  }
}
