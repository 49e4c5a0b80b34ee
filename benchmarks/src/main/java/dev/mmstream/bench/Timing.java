package dev.mmstream.bench;

/** Wall and CPU seconds of one measured run (CPU of every thread, native ones included). */
record Timing(double wallSeconds, double cpuSeconds) {
  double realTime(double mediaSeconds) {
    return mediaSeconds / wallSeconds;
  }

  double realTimePerCore(double mediaSeconds) {
    return mediaSeconds / cpuSeconds;
  }
}
