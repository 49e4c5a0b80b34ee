package dev.mmstream.streams.inference;

import java.util.Locale;

/** Where inference runs: {@code --device auto|cpu|cuda}. */
public enum Device {
  /** CUDA when the GPU build and a GPU are present, CPU otherwise (the reason is logged). */
  AUTO,
  CPU,
  /** CUDA or fail: for deployments where CPU inference would be too slow to be useful. */
  CUDA;

  public static Device parse(String value) {
    for (Device d : values()) {
      if (d.name().equals(value.strip().toUpperCase(Locale.ROOT))) {
        return d;
      }
    }
    throw new IllegalArgumentException("--device must be auto, cpu or cuda, got '" + value + "'");
  }
}
