package dev.mmstream.align;

import dev.mmstream.schema.v1.Matrix;
import dev.mmstream.schema.v1.ModelWindow;
import dev.mmstream.schema.v1.Task;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * A window's model inputs as plain float rows: what serving scores, and what a dataset's {@link ModelWindow}
 * holds (see {@link #toModelWindow()}), without Avro's boxed lists on the scoring path.
 *
 * @param specIds the feature spec id of each modality with steps in the window, and the window's own
 * @param catalogue a trailer's poster and metadata inputs ({@link CatalogueInputs#NONE} for other windows)
 */
public record AssembledWindow(
    String streamId, Task task, WindowBounds bounds, Block text, Block audio, Block video, Map<String, String> specIds,
    CatalogueInputs catalogue) {

  /** A modality's steps: rows x cols values, row-major; 0 rows when the modality is absent (masked). */
  public record Block(int rows, int cols, float[] values) {
    public Block {
      if (rows < 0 || cols < 0 || values.length != rows * cols) {
        throw new MalformedFeaturesException("a " + rows + "x" + cols + " block holds " + values.length + " values");
      }
    }

    Matrix toMatrix() {
      var list = new ArrayList<Float>(values.length);
      for (float v : values) {
        list.add(v);
      }
      return new Matrix(rows, cols, list);
    }

    static Block of(Matrix m) {
      float[] v = new float[m.getValues().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = m.getValues().get(i);
      }
      return new Block(m.getRows(), m.getCols(), v);
    }
  }

  public AssembledWindow {
    specIds = Map.copyOf(specIds);
    catalogue = catalogue == null ? CatalogueInputs.NONE : catalogue;
  }

  /** A window without catalogue inputs. */
  public AssembledWindow(
      String streamId, Task task, WindowBounds bounds, Block text, Block audio, Block video, Map<String, String> specIds) {
    this(streamId, task, bounds, text, audio, video, specIds, CatalogueInputs.NONE);
  }

  /** The same window carrying a trailer's catalogue inputs. */
  public AssembledWindow withCatalogue(CatalogueInputs inputs) {
    return new AssembledWindow(streamId, task, bounds, text, audio, video, specIds, inputs);
  }

  /** The block of "text", "audio" or "video". */
  public Block block(String modality) {
    return switch (modality) {
      case "text" -> text;
      case "audio" -> audio;
      case "video" -> video;
      default -> throw new IllegalArgumentException("no modality " + modality);
    };
  }

  /** As a dataset window (labels and split unset). */
  public ModelWindow toModelWindow() {
    return ModelWindow.newBuilder()
        .setStreamId(streamId)
        .setTask(task)
        .setWindowStartMs(bounds.startMs())
        .setWindowEndMs(bounds.endMs())
        .setText(text.toMatrix())
        .setAudio(audio.toMatrix())
        .setVideo(video.toMatrix())
        .setSpecIds(new TreeMap<>(specIds))
        .setCatalogue(catalogue.toAvro())
        .build();
  }

  public static AssembledWindow of(ModelWindow w) {
    return new AssembledWindow(w.getStreamId(), w.getTask(), new WindowBounds(w.getWindowStartMs(), w.getWindowEndMs()),
        Block.of(w.getText()), Block.of(w.getAudio()), Block.of(w.getVideo()), w.getSpecIds(),
        CatalogueInputs.of(w.getCatalogue()));
  }
}
