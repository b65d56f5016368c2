package com.mangaassist.orchestrator;

import java.util.HashMap;
import java.util.Map;

/**
 * The sessions connected to this verticle instance, so that something published for a session (its predicted
 * follow-ups) reaches the socket that carries it. Event-loop confined: no locking.
 */
final class SessionRegistry {

  private final Map<String, ClientConnection> bySession = new HashMap<>();

  void register(String sessionId, ClientConnection connection) {
    bySession.put(sessionId, connection);
  }

  /** Removes the mapping only if it still points at this connection (a resume elsewhere may have replaced it). */
  void unregister(String sessionId, ClientConnection connection) {
    if (sessionId != null) {
      bySession.remove(sessionId, connection);
    }
  }

  /** The connection of a session on this node, or null. */
  ClientConnection connection(String sessionId) {
    return bySession.get(sessionId);
  }
}
