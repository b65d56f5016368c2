package com.mangaassist.orchestrator;

import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which web pages may open a chat socket: the page served by this host, plus an allow-list ({@code allowedOrigins}).
 * Stops cross-site WebSocket hijacking by pages a shopper happens to visit. Clients that send no {@code Origin}
 * (apps, load generators) are not browsers and still need a token.
 */
final class OriginPolicy {

  private final Set<String> allowed = new HashSet<>();

  OriginPolicy(JsonArray allowedOrigins) {
    if (allowedOrigins != null) {
      allowedOrigins.forEach(origin -> allowed.add(origin.toString().toLowerCase(Locale.ROOT)));
    }
  }

  /** Route handler in front of {@code /ws} and {@code /sockjs}: 403 for a foreign page. */
  void check(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null || permits(origin, ctx.request().getHeader("Host"))) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).end("origin not allowed");
    }
  }

  boolean permits(String origin, String host) {
    String normalized = origin.toLowerCase(Locale.ROOT);
    if (allowed.contains("*") || allowed.contains(normalized)) {
      return true;
    }
    try {
      String authority = URI.create(normalized).getAuthority();
      return authority != null && host != null && authority.equals(host.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }
}
