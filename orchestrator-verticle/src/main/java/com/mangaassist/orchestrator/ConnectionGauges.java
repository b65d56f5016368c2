package com.mangaassist.orchestrator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What this node holds right now, on {@code /metrics}: open sockets, sessions and users registered here, answers in
 * flight. After every shopper has gone they all read 0; a number that only grows is a leak.
 */
final class ConnectionGauges {

  private ConnectionGauges() {}

  static void register(MeterRegistry registry, OpenConnections open, SessionRegistry sessions) {
    Gauge.builder("chat_connections_open", open, OpenConnections::size)
        .description("client sockets open on this node, authenticated or not").register(registry);
    Gauge.builder("chat_answers_in_flight", open, OpenConnections::answersInFlight)
        .description("queries started and not yet ended on this node").register(registry);
    Gauge.builder("chat_sessions_registered", sessions, SessionRegistry::sessionCount)
        .description("chat sessions whose socket is on this node").register(registry);
    Gauge.builder("chat_users_connected", sessions, SessionRegistry::userCount)
        .description("users with at least one socket on this node").register(registry);
  }
}
