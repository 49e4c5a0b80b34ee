package dev.mmstream.ingest.extract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * {@code dataset.json}, computed from the windows files on disk (this run's and earlier runs'), so it
 * always describes what a reader of {@code windows/*.avro} will find. {@code hash} is the SHA-256 of
 * the windows files' bytes concatenated in clip-id order.
 */
public record DatasetSummary(Map<String, Object> json) {
  /** ModelWindow without the matrix values: the summary reads shapes and labels, not features. */
  private static final Schema SHAPES = new Schema.Parser().parse("""
      {"type": "record", "name": "ModelWindow", "namespace": "dev.mmstream.schema.v1", "fields": [
        {"name": "stream_id", "type": "string"},
        {"name": "split", "type": "string", "default": ""},
        {"name": "labels", "type": {"type": "array", "items": "string"}, "default": []},
        {"name": "text", "type": {"type": "record", "name": "Matrix", "fields": [
          {"name": "rows", "type": "int"}, {"name": "cols", "type": "int"}]}},
        {"name": "audio", "type": "Matrix"},
        {"name": "video", "type": "Matrix"},
        {"name": "spec_ids", "type": {"type": "map", "values": "string"}},
        {"name": "catalogue", "type": ["null", {"type": "record", "name": "CatalogueFeatures", "fields": [
          {"name": "poster", "type": ["null", {"type": "array", "items": "float"}], "default": null},
          {"name": "metadata", "type": ["null", {"type": "array", "items": "float"}], "default": null},
          {"name": "spec_ids", "type": {"type": "map", "values": "string"}, "default": {}}]}], "default": null}]}""");
  private static final List<String> MODALITIES = List.of("text", "audio", "video");

  /** @throws DatasetException when a windows file disagrees with the settings or with the others */
  public static DatasetSummary read(DatasetLayout layout, ExtractSettings settings, int errors) {
    List<String> clips = layout.finishedClips();
    Map<String, String> specIds = settings.specIds();
    Map<String, Integer> dims = settings.dims();
    Map<String, Object> catalogue = settings.catalogue();
    var splits = new TreeMap<String, Integer>();
    var labelWindows = new LinkedHashMap<String, Integer>();
    TaskLabels.of(settings.task()).forEach(l -> labelWindows.put(l, 0));
    MessageDigest hash = sha256();
    int windows = 0;
    for (String clip : clips) {
      Path file = layout.windows(clip);
      try {
        hash.update(Files.readAllBytes(file));
        try (var reader = new DataFileReader<GenericRecord>(file.toFile(), new GenericDatumReader<>(SHAPES))) {
          for (GenericRecord w : reader) {
            windows++;
            check(file, clip, w, specIds, dims);
            checkCatalogue(file, w, catalogue);
            splits.merge(w.get("split").toString(), 1, Integer::sum);
            for (Object label : (List<?>) w.get("labels")) {
              labelWindows.merge(label.toString(), 1, Integer::sum);
            }
          }
        }
      } catch (IOException | AvroRuntimeException e) {
        throw new DatasetException("cannot read " + file + " (" + e.getMessage() + "): delete it and run extract again");
      }
    }
    var json = new LinkedHashMap<String, Object>();
    json.put("task", TaskLabels.name(settings.task()));
    json.put("labels", TaskLabels.of(settings.task()));
    json.put("spec_ids", specIds);
    json.put("dims", dims);
    json.put("max_lengths", settings.maxLengths());
    json.put("windowing", settings.windowing());
    if (!catalogue.isEmpty()) {
      json.put("catalogue", catalogue);
    }
    json.put("clips", clips.size());
    json.put("windows", windows);
    json.put("splits", splits);
    json.put("label_windows", labelWindows);
    json.put("hash", HexFormat.of().formatHex(hash.digest()));
    json.put("errors", errors);
    json.put("layout", Map.of(
        "windows", "windows/<clip_id>.avro (dev.mmstream.schema.v1.ModelWindow)",
        "features", "features/<clip_id>/{events,frames,audio,tokens}.avro (StreamEvent, FrameFeatures, AudioFeatures, TokenFeatures)",
        "errors", "errors.csv (clip_id, reason)"));
    return new DatasetSummary(json);
  }

  public int clips() {
    return (Integer) json.get("clips");
  }

  public int windows() {
    return (Integer) json.get("windows");
  }

  public String hash() {
    return (String) json.get("hash");
  }

  /** Writes dataset.json atomically. */
  public void write(Path file) {
    Path partial = file.resolveSibling("." + file.getFileName() + DatasetLayout.PARTIAL);
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(partial.toFile(), json);
      DatasetLayout.publish(partial, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void check(Path file, String clip, GenericRecord w, Map<String, String> specIds, Map<String, Integer> dims) {
    String where = file.getFileName() + " window [" + w.get("stream_id") + "]";
    if (!clip.equals(w.get("stream_id").toString())) {
      throw new DatasetException(file + " holds windows of clip " + w.get("stream_id") + ", not " + clip
          + ": the file was renamed or copied; delete it and run extract again");
    }
    @SuppressWarnings("unchecked")
    var ids = (Map<Object, Object>) w.get("spec_ids");
    for (Map.Entry<Object, Object> id : ids.entrySet()) {
      String expected = specIds.get(id.getKey().toString());
      if (!id.getValue().toString().equals(expected)) {
        throw new DatasetException(where + " has " + id.getKey() + " spec " + id.getValue() + " but this extract uses "
            + expected + ": it was made with other settings; delete " + file + " (or use a fresh --out) and run extract again");
      }
    }
    for (String m : MODALITIES) {
      var matrix = (GenericRecord) w.get(m);
      int rows = (Integer) matrix.get("rows");
      int cols = (Integer) matrix.get("cols");
      if (rows > 0 && cols != dims.get(m)) {
        throw new DatasetException(where + " has " + cols + " " + m + " columns where its spec gives " + dims.get(m)
            + "; delete " + file + " (or use a fresh --out) and run extract again");
      }
    }
  }

  /** A window's poster and metadata vectors have the lengths and spec ids {@code dataset.json} states. */
  @SuppressWarnings("unchecked")
  private static void checkCatalogue(Path file, GenericRecord w, Map<String, Object> catalogue) {
    var entry = (GenericRecord) w.get("catalogue");
    if (entry == null) {
      return;
    }
    String where = file.getFileName() + " window [" + w.get("stream_id") + "]";
    if (catalogue.isEmpty()) {
      throw new DatasetException(where + " has catalogue inputs but this extract's task has none; delete " + file
          + " (or use a fresh --out) and run extract again");
    }
    var dims = (Map<String, Integer>) catalogue.get("dims");
    var ids = (Map<String, String>) catalogue.get("spec_ids");
    var entryIds = (Map<Object, Object>) entry.get("spec_ids");
    for (String input : dims.keySet()) {
      var values = (List<?>) entry.get(input);
      if (values == null) {
        continue;
      }
      // generic maps key by Avro's Utf8, which equals no String
      String id = entryIds.entrySet().stream().filter(e -> e.getKey().toString().equals(input))
          .map(e -> e.getValue().toString()).findFirst().orElse(null);
      if (values.size() != dims.get(input) || id == null || !ids.get(input).equals(id)) {
        throw new DatasetException(where + " has a " + input + " vector of " + values.size() + " values with spec " + id
            + " where this extract makes " + dims.get(input) + " with spec " + ids.get(input) + "; delete " + file
            + " (or use a fresh --out) and run extract again");
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
