package dev.mmstream.broker;

import java.util.Properties;

/** The listener settings of a secured embedded broker: SASL_SSL for clients, plaintext on loopback for itself. */
final class BrokerListeners {
  static final String CLIENT = "SASL_SSL";
  static final String INTERNAL = "INTERNAL";

  private BrokerListeners() {}

  static void secure(Properties p, BrokerSecurity security, int port, int internalPort, int controllerPort) {
    String host = BrokerConfig.HOST;
    p.put("listeners", CLIENT + "://" + host + ":" + port + "," + INTERNAL + "://" + host + ":" + internalPort
        + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", CLIENT + "://" + host + ":" + port + "," + INTERNAL + "://" + host + ":" + internalPort);
    p.put("inter.broker.listener.name", INTERNAL);
    p.put("listener.security.protocol.map", CLIENT + ":SASL_SSL," + INTERNAL + ":PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("sasl.enabled.mechanisms", BrokerSecurity.MECHANISM);
    String prefix = "listener.name." + CLIENT.toLowerCase(java.util.Locale.ROOT) + ".";
    p.put(prefix + BrokerSecurity.MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put(prefix + "ssl.keystore.type", "PKCS12");
    p.put(prefix + "ssl.keystore.location", security.keystore().toAbsolutePath().toString());
    p.put(prefix + "ssl.keystore.password", security.keystorePassword());
    p.put(prefix + "ssl.key.password", security.keystorePassword());
  }
}
