package dev.mmstream.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/** Creates or updates the embedded broker's SCRAM users, so a changed password file takes effect at the next start. */
final class ScramUsers {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int ITERATIONS = 8192;

  private ScramUsers() {}

  /** Upserts every user and returns once the broker lists them all. */
  static void upsert(String internalBootstrap, Map<String, String> users) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()))) {
      List<UserScramCredentialAlteration> changes = users.entrySet().stream()
          .<UserScramCredentialAlteration>map(u -> new UserScramCredentialUpsertion(u.getKey(),
              new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), u.getValue()))
          .toList();
      admin.alterUserScramCredentials(changes).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!admin.describeUserScramCredentials().users().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .containsAll(users.keySet())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker did not list its SCRAM users " + Set.copyOf(users.keySet())
              + " within " + TIMEOUT.toSeconds() + " s");
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating SCRAM users", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create the broker's SCRAM users: " + e.getMessage(), e);
    }
  }
}
