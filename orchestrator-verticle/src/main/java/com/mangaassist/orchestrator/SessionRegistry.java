package com.mangaassist.orchestrator;

import java.util.HashMap;
import java.util.Map;

/**
 * The sessions and users connected to this verticle instance (limits are per node), so that something published for a session (its predicted
 * follow-ups) reaches the socket that carries it. Event-loop confined: no locking.
 */
final class SessionRegistry {

  private final Map<String, ClientConnection> bySession = new HashMap<>();
  private final Map<String, Integer> connectionsByUser = new HashMap<>();

  /** Counts a user's open connection; false (nothing counted) when they already hold {@code limit}. */
  boolean admitUser(String userId, int limit) {
    int open = connectionsByUser.getOrDefault(userId, 0);
    if (open >= limit) {
      return false;
    }
    connectionsByUser.put(userId, open + 1);
    return true;
  }

  void releaseUser(String userId) {
    connectionsByUser.computeIfPresent(userId, (user, open) -> open <= 1 ? null : open - 1);
  }

  void register(String sessionId, ClientConnection connection) {
    bySession.put(sessionId, connection);
  }

  /** Removes the mapping only if it still points at this connection (a resume elsewhere may have replaced it). */
  void unregister(String sessionId, ClientConnection connection) {
    if (sessionId != null) {
      bySession.remove(sessionId, connection);
    }
  }

  /** Read by the metrics scrape, possibly from another thread: a map's size is a single field, stale at worst. */
  int sessionCount() {
    return bySession.size();
  }

  int userCount() {
    return connectionsByUser.size();
  }

  /** The connection of a session on this node, or null. */
  ClientConnection connection(String sessionId) {
    return bySession.get(sessionId);
  }
}
