package dev.mmstream.streams.topology;

import dev.mmstream.align.AssembledWindow;
import dev.mmstream.align.CatalogueInputs;
import dev.mmstream.align.WindowBounds;
import dev.mmstream.schema.AvroSerde;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

/**
 * The bytes of a closed window in the ready store: a small header, then each modality's rows as raw
 * little-endian floats, then the spec ids, then the catalogue inputs (format 2). Avro's boxed float lists made
 * encoding and decoding each window cost more than scoring it. Windows written by earlier versions (format 1,
 * without catalogue inputs; a ModelWindow in Avro single-object encoding, which starts with C3 01) still decode.
 */
final class WindowCodec {
  private static final byte[] MAGIC = {'M', 'W', 2};
  private static final byte FORMAT_WITHOUT_CATALOGUE = 1;
  private static final AvroSerde<ModelWindow> AVRO = AvroSerde.of(ModelWindow.class);
  private static final Task[] TASKS = Task.values();

  private WindowCodec() {}

  static byte[] encode(AssembledWindow w) {
    byte[] id = w.streamId().getBytes(StandardCharsets.UTF_8);
    var specs = w.specIds().entrySet().stream()
        .map(e -> new byte[][] {e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue().getBytes(StandardCharsets.UTF_8)})
        .toList();
    int size = MAGIC.length + 4 + id.length + 4 + 16 + 4;
    for (String m : new String[] {"text", "audio", "video"}) {
      size += 8 + w.block(m).values().length * Float.BYTES;
    }
    for (byte[][] s : specs) {
      size += 8 + s[0].length + s[1].length;
    }
    byte[] catalogue = encodeCatalogue(w.catalogue());
    size += catalogue.length;
    var out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).putInt(id.length).put(id).putInt(w.task().ordinal())
        .putLong(w.bounds().startMs()).putLong(w.bounds().endMs());
    for (String m : new String[] {"text", "audio", "video"}) {
      var b = w.block(m);
      out.putInt(b.rows()).putInt(b.cols());
      out.asFloatBuffer().put(b.values());
      out.position(out.position() + b.values().length * Float.BYTES);
    }
    out.putInt(specs.size());
    for (byte[][] s : specs) {
      out.putInt(s[0].length).put(s[0]).putInt(s[1].length).put(s[1]);
    }
    out.put(catalogue);
    return out.array();
  }

  /** Each catalogue input's length (-1 when absent) and floats, then its spec ids. */
  private static byte[] encodeCatalogue(CatalogueInputs c) {
    var specs = new LinkedHashMap<>(c.specIds());
    int size = 4;
    for (String name : CatalogueInputs.NAMES) {
      float[] v = c.input(name);
      size += 4 + (v == null ? 0 : v.length * Float.BYTES);
    }
    for (var e : specs.entrySet()) {
      size += 8 + e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    var out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (String name : CatalogueInputs.NAMES) {
      float[] v = c.input(name);
      out.putInt(v == null ? -1 : v.length);
      if (v != null) {
        out.asFloatBuffer().put(v);
        out.position(out.position() + v.length * Float.BYTES);
      }
    }
    out.putInt(specs.size());
    specs.forEach((k, v) -> {
      byte[] kb = k.getBytes(StandardCharsets.UTF_8);
      byte[] vb = v.getBytes(StandardCharsets.UTF_8);
      out.putInt(kb.length).put(kb).putInt(vb.length).put(vb);
    });
    return out.array();
  }

  private static CatalogueInputs decodeCatalogue(ByteBuffer in) {
    float[][] vectors = new float[CatalogueInputs.NAMES.size()][];
    for (int i = 0; i < vectors.length; i++) {
      int n = in.getInt();
      if (n >= 0) {
        vectors[i] = new float[n];
        in.asFloatBuffer().get(vectors[i]);
        in.position(in.position() + n * Float.BYTES);
      }
    }
    var specIds = new LinkedHashMap<String, String>();
    for (int n = in.getInt(); n > 0; n--) {
      specIds.put(text(in), text(in));
    }
    return vectors[0] == null && vectors[1] == null ? CatalogueInputs.NONE : new CatalogueInputs(vectors[0], vectors[1], specIds);
  }

  static AssembledWindow decode(byte[] bytes) {
    if (bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == 0x01) {
      return AssembledWindow.of(AVRO.decode(Names.READY_STORE, bytes));
    }
    var in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[MAGIC.length];
    in.get(magic);
    if (magic[0] != MAGIC[0] || magic[1] != MAGIC[1] || (magic[2] != MAGIC[2] && magic[2] != FORMAT_WITHOUT_CATALOGUE)) {
      throw new IllegalStateException("a ready window in " + Names.READY_STORE + " has an unknown format");
    }
    String streamId = text(in);
    Task task = TASKS[in.getInt()];
    var bounds = new WindowBounds(in.getLong(), in.getLong());
    var blocks = new AssembledWindow.Block[3];
    for (int i = 0; i < 3; i++) {
      int rows = in.getInt();
      int cols = in.getInt();
      float[] values = new float[rows * cols];
      in.asFloatBuffer().get(values);
      in.position(in.position() + values.length * Float.BYTES);
      blocks[i] = new AssembledWindow.Block(rows, cols, values);
    }
    var specIds = new LinkedHashMap<String, String>();
    for (int n = in.getInt(); n > 0; n--) {
      specIds.put(text(in), text(in));
    }
    CatalogueInputs catalogue = magic[2] == FORMAT_WITHOUT_CATALOGUE ? CatalogueInputs.NONE : decodeCatalogue(in);
    return new AssembledWindow(streamId, task, bounds, blocks[0], blocks[1], blocks[2], specIds, catalogue);
  }

  private static String text(ByteBuffer in) {
    byte[] b = new byte[in.getInt()];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
