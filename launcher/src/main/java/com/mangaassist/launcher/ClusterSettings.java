package com.mangaassist.launcher;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * How a role joins the cluster ({@code conf/cluster.json}, {@code CLUSTER_*} and {@code EVENTBUS_PORT}): the cluster's
 * name, the members to contact over TCP-IP, this member's address, Hazelcast's base port and the event bus's port.
 */
record ClusterSettings(
    String name,
    List<String> members,
    String host,
    int port,
    int eventBusPort,
    String publicHost,
    int maxNoHeartbeatSeconds) {

  static ClusterSettings from(JsonObject conf) {
    return new ClusterSettings(
        conf.getString("name", "mangaassist"),
        members(conf.getValue("members", "127.0.0.1")),
        conf.getString("host", "127.0.0.1"),
        conf.getInteger("port", 5701),
        conf.getInteger("eventBusPort", 0),
        conf.getString("publicHost", ""),
        conf.getInteger("maxNoHeartbeatSeconds", 15));
  }

  /** A comma-separated string (as an environment variable gives it) or a JSON array of {@code host[:port]}. */
  private static List<String> members(Object value) {
    if (value instanceof io.vertx.core.json.JsonArray array) {
      return array.stream().map(String::valueOf).map(String::strip).filter(m -> !m.isEmpty()).toList();
    }
    return Arrays.stream(String.valueOf(value).split(",")).map(String::strip).filter(m -> !m.isEmpty()).toList();
  }
}
