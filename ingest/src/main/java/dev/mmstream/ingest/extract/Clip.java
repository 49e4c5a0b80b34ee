package dev.mmstream.ingest.extract;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One valid manifest row.
 *
 * @param line manifest line the row starts on
 * @param id clip id: names its output files and keys its records
 * @param media the media file, resolved against the manifest's folder; empty for a text-only clip
 * @param captions sidecar SRT/WebVTT file; empty = the media's embedded subtitles, if any. A clip with
 *     captions and no media is text-only: its windows run over its cues' times
 * @param metadata START metadata from the clip's metadata JSON (empty without one)
 * @param labels gold labels, lower case, each in the task's label set, in label-set order
 * @param split train, val or test
 * @param row the row's fields as written, which decide whether an earlier extraction is still valid
 * @param attributes the row's values in the manifest's extra columns (e.g. source, speaker), by column
 */
public record Clip(
    int line, String id, Optional<Path> media, Optional<Path> captions, Map<String, String> metadata,
    List<String> labels, String split, List<String> row, Map<String, String> attributes) {
  public Clip {
    if (media.isEmpty() && captions.isEmpty()) {
      throw new IllegalArgumentException("clip " + id + " has neither media nor captions");
    }
    metadata = Map.copyOf(metadata);
    labels = List.copyOf(labels);
    row = List.copyOf(row);
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }
}
