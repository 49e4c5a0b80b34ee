package dev.mmstream.ingest.extract;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One valid manifest row.
 *
 * @param line manifest line the row starts on
 * @param id clip id: names its output files and keys its records
 * @param media the media file, resolved against the manifest's folder
 * @param captions sidecar SRT/WebVTT file; empty = the file's embedded subtitles, if any
 * @param metadata START metadata from the clip's metadata JSON (empty without one)
 * @param labels gold labels, lower case, each in the task's label set, in label-set order
 * @param split train, val or test
 * @param row the row's fields as written, which decide whether an earlier extraction is still valid
 */
public record Clip(
    int line, String id, Path media, Optional<Path> captions, Map<String, String> metadata,
    List<String> labels, String split, List<String> row) {
  public Clip {
    metadata = Map.copyOf(metadata);
    labels = List.copyOf(labels);
    row = List.copyOf(row);
  }
}
