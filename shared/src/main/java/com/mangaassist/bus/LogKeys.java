package com.mangaassist.bus;

/**
 * Keys of the structured log lines that follow one turn across roles: the orchestrator logs the turn under them and
 * every role that handles its {@code mangaassist.turn.completed} logs under the same ones, so {@code LOG_FORMAT=json}
 * lines of one question can be found together. Use them with SLF4J's key-values
 * ({@code LOG.atInfo().addKeyValue(LogKeys.REQUEST_ID, requestId)}): MDC does not survive the hops of an event loop.
 */
public final class LogKeys {

  /**
   * The turn's request id, made by the orchestrator for each turn (a client's query ids such as "q1" repeat across
   * sessions); the shopper sees it as {@code done.metadata.request_id}, the bus event carries it as {@code requestId}.
   */
  public static final String REQUEST_ID = "requestId";
  /** The session the turn belongs to. */
  public static final String SESSION_ID = "sessionId";

  private LogKeys() {}
}
