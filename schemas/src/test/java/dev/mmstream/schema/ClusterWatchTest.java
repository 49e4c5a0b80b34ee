package dev.mmstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClusterWatchTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<String> said = new ArrayList<>();
  private final AtomicInteger gaveUp = new AtomicInteger();

  @Test
  void saysKafkaIsAwayThenBackAndGivesUpOnceAfterTheOutageBound() {
    try (var watch = ClusterWatch.forTest(Duration.ofSeconds(60), said::add, gaveUp::incrementAndGet, now::get)) {
      watch.observed(true);
      assertThat(said).isEmpty();
      watch.observed(false);
      assertThat(said).containsExactly("Kafka at 127.0.0.1:1 does not answer (for 5 s); waiting up to 60 s (--outage-s)");
      now.addAndGet(20_000);
      watch.observed(false);
      assertThat(said).hasSize(1);  // repeated every 30 s, not at each probe
      now.addAndGet(10_000);
      watch.observed(true);
      assertThat(said).last().isEqualTo("Kafka at 127.0.0.1:1 answers again after 35 s");

      watch.observed(false);
      for (int i = 0; i < 12; i++) {
        now.addAndGet(5_000);
        watch.observed(false);
      }
      now.addAndGet(5_000);
      watch.observed(false);
      assertThat(gaveUp).hasValue(1);
      assertThat(said).last().asString().startsWith("Kafka at 127.0.0.1:1 has not answered for 60 s (--outage-s 60): giving up");
    }
  }
}
