package com.mangaassist.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.mangaassist.config.ConfigFiles;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Vert.x of one process: Prometheus metrics always; with cluster mode, a Hazelcast member joined over TCP-IP
 * ({@code conf/cluster.xml} for Hazelcast's own settings, {@link ClusterSettings} for who joins whom).
 */
final class VertxStarter {

  private VertxStarter() {}

  static Vertx standalone() {
    return builder(new VertxOptions()).build();
  }

  /**
   * Joins the cluster; the future fails when the ports are taken. A {@code lite} member (a tool such as {@code watch})
   * holds none of the cluster's data, so its coming and going moves no partitions.
   */
  static Future<Vertx> clustered(JsonObject clusterConf, boolean lite) {
    // before Hazelcast reads its configuration, which it would otherwise log through java.util.logging
    System.setProperty("hazelcast.logging.type", "slf4j");
    ClusterSettings settings = ClusterSettings.from(clusterConf);
    String address = resolve(settings.host());
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost(address).setPort(settings.eventBusPort());
    if (!settings.publicHost().isBlank()) {
      options.getEventBusOptions().setClusterPublicHost(settings.publicHost());
    }
    return builder(options)
        .withClusterManager(new HazelcastClusterManager(hazelcastConfig(settings, address).setLiteMember(lite)))
        .buildClustered();
  }

  private static VertxBuilder builder(VertxOptions options) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return Vertx.builder()
        .with(options.setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry));
  }

  /** A fresh Hazelcast configuration per member: the cluster manager writes this member's id into it. */
  private static Config hazelcastConfig(ClusterSettings settings, String address) {
    Config config = baseConfig();
    config.setClusterName(settings.name());
    config.setProperty("hazelcast.local.localAddress", address);
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(settings.maxNoHeartbeatSeconds()));
    config.getNetworkConfig().setPort(settings.port()).setPortAutoIncrement(true);
    if (!settings.publicHost().isBlank()) {
      config.getNetworkConfig().setPublicAddress(settings.publicHost());
    }
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    return config;
  }

  /** {@code conf/cluster.xml} when the installation has one, else the cluster manager's bundled defaults. */
  private static Config baseConfig() {
    Path file = ConfigFiles.confDir().resolve("cluster.xml");
    if (!Files.exists(file)) {
      return ConfigUtil.loadConfig();
    }
    try {
      return new FileSystemXmlConfig(file.toFile());
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Hazelcast binds to an address; a container's service name is resolved to its own. */
  private static String resolve(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cluster host " + host + " does not resolve", e);
    }
  }
}
