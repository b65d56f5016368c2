package com.mangaassist.bus;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * The event bus's side of {@code /ready}: standalone, or clustered with this member's id and how many members it
 * sees. A member whose cluster manager stopped (cut off, shutting down) reports {@code DOWN}.
 */
public final class ClusterStatus {

  private ClusterStatus() {}

  public static JsonObject of(Vertx vertx) {
    if (!vertx.isClustered()) {
      return new JsonObject().put("mode", "standalone").put("status", "UP");
    }
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    if (manager == null || !manager.isActive()) {
      return new JsonObject().put("mode", "clustered").put("status", "DOWN");
    }
    return new JsonObject()
        .put("mode", "clustered")
        .put("status", "UP")
        .put("nodeId", manager.getNodeId())
        .put("members", manager.getNodes().size());
  }

  public static boolean isUp(JsonObject status) {
    return "UP".equals(status.getString("status"));
  }
}
