package dev.mmstream.broker;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A TLS listener with SASL/SCRAM-SHA-512 for the embedded broker's clients. Secrets come from files, never from
 * the command line (where {@code ps} would show them), and {@link #toString()} shows none of them.
 *
 * @param keystore PKCS12 keystore with the broker's private key and certificate
 * @param keystorePassword its password (also the key's, as PKCS12 has one)
 * @param users SCRAM users the broker creates (or updates) at each start: name → password
 */
public record BrokerSecurity(Path keystore, String keystorePassword, Map<String, String> users) {
  public static final String MECHANISM = "SCRAM-SHA-512";

  public BrokerSecurity {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(keystorePassword, "keystorePassword");
    users = Map.copyOf(users);
    if (users.isEmpty()) {
      throw new IllegalArgumentException("a TLS + SASL broker needs at least one SCRAM user (--scram-users FILE of name=password lines)");
    }
  }

  /** Reads the keystore password and the users from their files; a missing or empty file is a one-line error. */
  public static BrokerSecurity read(Path keystore, Path passwordFile, Path usersFile) {
    if (!Files.isRegularFile(keystore)) {
      throw new IllegalArgumentException("--tls-keystore " + keystore + ": no such file");
    }
    if (passwordFile == null || usersFile == null) {
      throw new IllegalArgumentException("--tls-keystore needs --tls-keystore-password-file and --scram-users");
    }
    String password = readText(passwordFile, "--tls-keystore-password-file").strip();
    if (password.isEmpty()) {
      throw new IllegalArgumentException("--tls-keystore-password-file " + passwordFile + " is empty");
    }
    Properties users = new Properties();
    try (Reader in = Files.newBufferedReader(usersFile, StandardCharsets.UTF_8)) {
      users.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--scram-users " + usersFile + " cannot be read as name=password lines: " + e.getMessage());
    }
    Map<String, String> byName = new TreeMap<>();
    users.stringPropertyNames().forEach(name -> byName.put(name, users.getProperty(name)));
    byName.forEach((name, pw) -> {
      if (pw.isEmpty()) {
        throw new IllegalArgumentException("--scram-users " + usersFile + ": user " + name + " has an empty password");
      }
    });
    return new BrokerSecurity(keystore, password, byName);
  }

  private static String readText(Path file, String option) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + file + " cannot be read: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "BrokerSecurity[keystore=" + keystore + ", users=" + users.keySet() + ", passwords hidden]";
  }
}
