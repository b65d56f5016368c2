package com.mangaassist.orchestrator;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client connections this verticle carries (authenticated or not), the answers they have in flight, and whether
 * the node still takes new ones: it stops when it begins to shut down. The set is event-loop confined; the counts
 * are atomics because a metrics scrape may read them from another thread.
 */
final class OpenConnections {

  private final Set<ClientConnection> connections = new LinkedHashSet<>();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger answersInFlight = new AtomicInteger();
  private volatile boolean accepting = true;

  boolean accepting() {
    return accepting;
  }

  void stopAccepting() {
    accepting = false;
  }

  void add(ClientConnection connection) {
    if (connections.add(connection)) {
      count.incrementAndGet();
    }
  }

  void remove(ClientConnection connection) {
    if (connections.remove(connection)) {
      count.decrementAndGet();
    }
  }

  /** A copy: draining closes connections, which removes them from the set while it is walked. */
  List<ClientConnection> snapshot() {
    return List.copyOf(connections);
  }

  int size() {
    return count.get();
  }

  void answerStarted() {
    answersInFlight.incrementAndGet();
  }

  void answersEnded(int ended) {
    answersInFlight.addAndGet(-ended);
  }

  int answersInFlight() {
    return answersInFlight.get();
  }
}
