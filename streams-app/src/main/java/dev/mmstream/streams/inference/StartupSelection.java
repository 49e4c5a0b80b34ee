package dev.mmstream.streams.inference;

import dev.mmstream.schema.v1.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models that serve at startup: per task the highest model_version among the files that load wins;
 * the others are closed. A file that does not load is refused and skipped, as a hot swap would refuse it,
 * so a rejected file left beside a good model does not keep the app from starting; when no file loads,
 * startup fails with the first file's reason. Two files with the same version for one task are a mistake
 * the operator must resolve.
 */
final class StartupSelection {
  private static final Logger LOG = LoggerFactory.getLogger(StartupSelection.class);

  private StartupSelection() {}

  static Map<Task, OnnxFusionModel> select(List<Path> files, Function<Path, OnnxFusionModel> loader,
      Consumer<ModelLoadException> refused) {
    List<OnnxFusionModel> loaded = new ArrayList<>();
    Map<Task, OnnxFusionModel> best = new EnumMap<>(Task.class);
    List<ModelLoadException> failures = new ArrayList<>();
    try {
      for (Path file : files) {
        try {
          loaded.add(loader.apply(file));
        } catch (ModelLoadException e) {
          failures.add(e);
        }
      }
      if (loaded.isEmpty() && !failures.isEmpty()) {
        throw failures.get(0);
      }
      failures.forEach(refused);
      for (OnnxFusionModel m : loaded) {
        best.merge(m.contract().task(), m, StartupSelection::higher);
      }
    } catch (RuntimeException e) {
      loaded.forEach(OnnxFusionModel::close);
      throw e;
    }
    for (OnnxFusionModel m : loaded) {
      ModelContract c = m.contract();
      if (best.get(c.task()) == m) {
        LOG.info("serving {} with {} from {} on {}", c.task(), c.id(), c.file(), m.device());
      } else {
        LOG.info("not serving {} ({}): {} has a higher version", c.file(), c.id(), best.get(c.task()).contract().id());
        m.close();
      }
    }
    return best;
  }

  private static OnnxFusionModel higher(OnnxFusionModel a, OnnxFusionModel b) {
    int c = ModelVersions.compare(a.contract().version(), b.contract().version());
    if (c == 0) {
      throw new ModelLoadException(b.contract().file(), "it and " + a.contract().file() + " both serve "
          + a.contract().task() + " with model_version " + a.contract().version() + ": remove one");
    }
    return c > 0 ? a : b;
  }
}
