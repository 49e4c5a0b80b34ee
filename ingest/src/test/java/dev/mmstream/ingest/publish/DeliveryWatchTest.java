package dev.mmstream.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeliveryWatchTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<String> said = new ArrayList<>();
  private final DeliveryWatch watch = new DeliveryWatch("kafka-1:9092", Duration.ofSeconds(300), 64L << 20, said::add, now::get);

  @Test
  void saysNothingWhileRecordsAreAcknowledgedInTime() {
    long id = watch.sent(1000);
    now.addAndGet(4_000);
    watch.check();
    watch.done(id, 1000, true);
    now.addAndGet(10_000);
    watch.check();
    assertThat(said).isEmpty();
  }

  @Test
  void saysItIsWaitingThenEveryTenSecondsThenThatKafkaIsBack() {
    long first = watch.sent(2_000_000);
    now.addAndGet(1_000);
    long second = watch.sent(1_500_000);
    now.addAndGet(5_000);
    watch.check();
    assertThat(said).containsExactly("waiting for Kafka at kafka-1:9092: 2 records (3.3 of 64 MiB buffer) not acknowledged"
        + " for 6 s; they are kept up to 300 s (--outage-s), then ingest stops");
    now.addAndGet(5_000);
    watch.check();
    assertThat(said).hasSize(1);  // not again before ten seconds
    now.addAndGet(5_000);
    watch.check();
    assertThat(said).hasSize(2).last().asString().contains("for 16 s");
    watch.done(first, 2_000_000, true);
    watch.done(second, 1_500_000, true);
    now.addAndGet(4_000);
    watch.check();
    assertThat(said).hasSize(3).last().isEqualTo("Kafka at kafka-1:9092 answers again after 20 s: every kept record was delivered");
    now.addAndGet(20_000);
    watch.check();
    assertThat(said).hasSize(3);
  }

  @Test
  void doesNotSayEverythingWasDeliveredWhenTheProducerGaveUpOnARecord() {
    long id = watch.sent(100);
    now.addAndGet(6_000);
    watch.check();
    watch.done(id, 100, false);
    now.addAndGet(1_000);
    watch.check();
    assertThat(said).hasSize(1).first().asString().startsWith("waiting for Kafka");
  }
}
