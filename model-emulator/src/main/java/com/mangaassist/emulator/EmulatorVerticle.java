package com.mangaassist.emulator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Bedrock Runtime emulator that the unmodified AWS SDK talks to: InvokeModelWithResponseStream, ConverseStream and
 * InvokeModel for Anthropic models, over HTTP/1.1 and HTTP/2 cleartext (prior knowledge, which is what the
 * SDK-managed client sends to {@code http://} endpoints). Answers are paced like the real models, can carry injected
 * faults, and are counted under {@code GET /_emulator/stats}. {@code GET /health} answers UP, {@code GET /metrics} is
 * the Prometheus scrape of the Vert.x Micrometer registry (500 when Vert.x runs without one, as in most tests).
 *
 * <p>Deploy a single instance: warmth, faults and counters live in this verticle.
 */
public final class EmulatorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EmulatorVerticle.class);
  private static final String FAULT_HEADER = "x-emulator-fault";
  private static final int MAX_BODY_BYTES = 25_000_000;

  private final EmulatorStats stats = new EmulatorStats();
  private final FaultSchedule faults = new FaultSchedule();
  private JsonObject settings;
  private GenerationPlanner planner;
  private HttpServer server;

  /** The built-in configuration; every key can be overridden by the deployment config (deep merge). */
  public static JsonObject defaultConfig() {
    return new JsonObject()
        .put("host", "127.0.0.1")
        .put("port", 8089)
        .put("seed", 42L)
        .put("idleTimeoutSeconds", 120)
        .put("maxConcurrentStreams", 1000)
        .put("maxStreamResetsPerWindow", 10_000)
        .put("streamResetWindowSeconds", 30)
        .put("padding", true)
        .put("coldStartPenaltyMs", 1200)
        .put("coldAfterIdleMs", 300_000)
        .put("newConnectionPenaltyMs", 150)
        .put("deltaTokens", new JsonObject().put("min", 1).put("max", 3))
        .put("profiles", new JsonObject()
            .put("default", new LatencyProfile(300, 0.05, 95, 0.15).toJson())
            .put("anthropic.claude-3-haiku-20240307-v1:0", new LatencyProfile(300, 0.05, 95, 0.15).toJson())
            .put("anthropic.claude-3-sonnet-20240229-v1:0", new LatencyProfile(760, 0.1, 60, 0.15).toJson()))
        .put("faults", new JsonArray());
  }

  @Override
  public Future<?> start() {
    try {
      settings = defaultConfig().mergeIn(config(), true);
      planner = new GenerationPlanner(settings);
      faults.armAll(settings.getValue("faults"));
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException("invalid emulator config: " + e.getMessage(), e));
    }
    HttpServerOptions options = new HttpServerOptions()
        .setHost(settings.getString("host"))
        .setPort(settings.getInteger("port"))
        .setHttp2ClearTextEnabled(true)
        // longer than the SDK's 60 s connectionMaxIdleTime, so the client never reuses a socket we are closing
        .setIdleTimeout(settings.getInteger("idleTimeoutSeconds"))
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(settings.getLong("maxConcurrentStreams")))
        // the HTTP/2 rapid-reset guard (CVE-2023-44487): past this many RST_STREAMs in the window the connection gets
        // GOAWAY and every stream on it ends. Vert.x's default (200 per 30 s) is reached by a chat shop whose shoppers
        // leave mid-answer a few times a second (each leave cancels a stream), and then breaks the answers of the
        // shoppers who stay; Bedrock publishes no such limit, so the emulator only guards against a real flood
        .setHttp2RstFloodMaxRstFramePerWindow(settings.getInteger("maxStreamResetsPerWindow"))
        .setHttp2RstFloodWindowDuration(settings.getInteger("streamResetWindowSeconds"))
        .setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS);
    return vertx.createHttpServer(options)
        .requestHandler(router())
        .listen()
        .onSuccess(s -> {
          server = s;
          LOG.info("Bedrock emulator listening on http://{}:{} (HTTP/1.1 and h2c)", settings.getString("host"),
              s.actualPort());
        });
  }

  /** The port actually bound (useful when deployed with port 0). */
  public int actualPort() {
    if (server == null) {
      throw new IllegalStateException("emulator not started");
    }
    return server.actualPort();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.post("/model/:modelId/invoke-with-response-stream").handler(ctx -> handleStreaming(ctx, false));
    router.post("/model/:modelId/converse-stream").handler(ctx -> handleStreaming(ctx, true));
    router.post("/model/:modelId/invoke").handler(this::handleInvoke);
    router.get("/_emulator/stats").handler(ctx -> ctx.json(stats.toJson()));
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    router.post("/_emulator/reset").handler(this::handleReset);
    router.post("/_emulator/faults").handler(this::handleArmFault);
    router.delete("/_emulator/faults").handler(this::handleClearFaults);
    router.get("/_emulator/profiles").handler(ctx -> ctx.json(settings.getJsonObject("profiles")));
    router.put("/_emulator/profiles").handler(this::handleProfiles);
    return router;
  }

  private void handleStreaming(RoutingContext ctx, boolean converse) {
    String modelId = modelId(ctx);
    HttpServerRequest request = ctx.request();
    stats.invoked(modelId, request.version());
    Fault fault;
    InvocationRequest parsed;
    try {
      String header = request.getHeader(FAULT_HEADER);
      fault = header != null ? Fault.fromHeader(header) : faults.take(modelId);
      if (fault != null && fault.type().beforeStream()) {
        stats.rejected();
        sendError(ctx, fault.type().error, fault.type().error.defaultMessage);
        return;
      }
      JsonObject body = ctx.body().asJsonObject();
      parsed = converse ? InvocationRequest.fromConverse(body) : InvocationRequest.fromAnthropic(body);
    } catch (DecodeException | ClassCastException e) {
      stats.rejected();
      sendError(ctx, BedrockError.VALIDATION, "Malformed input request: body is not valid JSON");
      return;
    } catch (IllegalArgumentException | InvocationRequest.InvalidRequest e) {
      stats.rejected();
      sendError(ctx, BedrockError.VALIDATION, e.getMessage());
      return;
    }
    GenerationPlan plan = planner.plan(modelId, parsed, request.connection(), System.currentTimeMillis());
    boolean padding = settings.getBoolean("padding");
    StreamDialect dialect = converse ? new ConverseDialect(plan, padding) : new AnthropicChunkDialect(plan, padding);
    new StreamSession(vertx, request, dialect, plan, fault, stats).start();
  }

  /** Non-streaming InvokeModel: the whole Anthropic message once the planned generation time has passed. */
  private void handleInvoke(RoutingContext ctx) {
    String modelId = modelId(ctx);
    stats.invoked(modelId, ctx.request().version());
    InvocationRequest parsed;
    try {
      String header = ctx.request().getHeader(FAULT_HEADER);
      Fault fault = header != null ? Fault.fromHeader(header) : null;
      if (fault != null && fault.type().beforeStream()) {
        stats.rejected();
        sendError(ctx, fault.type().error, fault.type().error.defaultMessage);
        return;
      }
      parsed = InvocationRequest.fromAnthropic(ctx.body().asJsonObject());
    } catch (DecodeException | ClassCastException e) {
      stats.rejected();
      sendError(ctx, BedrockError.VALIDATION, "Malformed input request: body is not valid JSON");
      return;
    } catch (IllegalArgumentException | InvocationRequest.InvalidRequest e) {
      stats.rejected();
      sendError(ctx, BedrockError.VALIDATION, e.getMessage());
      return;
    }
    GenerationPlan plan = planner.plan(modelId, parsed, ctx.request().connection(), System.currentTimeMillis());
    stats.opened();
    long timerId = vertx.setTimer(Math.max(1, plan.invocationLatencyMs()), id -> {
      stats.completed();
      ctx.response()
          .putHeader("content-type", "application/json")
          .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
          .putHeader("X-Amzn-Bedrock-Input-Token-Count", String.valueOf(plan.inputTokens()))
          .putHeader("X-Amzn-Bedrock-Output-Token-Count", String.valueOf(plan.outputTokens()))
          .putHeader("X-Amzn-Bedrock-Invocation-Latency", String.valueOf(plan.invocationLatencyMs()))
          .end(AnthropicChunkDialect.completeMessage(plan).encode());
    });
    ctx.response().closeHandler(v -> {
      if (vertx.cancelTimer(timerId)) {
        stats.cancelled();
      }
    });
  }

  private void handleReset(RoutingContext ctx) {
    stats.reset();
    ctx.json(stats.toJson());
  }

  private void handleArmFault(RoutingContext ctx) {
    try {
      faults.arm(ctx.body().asJsonObject());
      ctx.response().setStatusCode(204).end();
    } catch (RuntimeException e) {
      ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("message", String.valueOf(e.getMessage())).encode());
    }
  }

  /**
   * Merges the body ({@code {"<modelId or default>": {"ttftMs": …, "tokensPerSecond": …}}}) into the latency
   * profiles, so a test can make the model slower mid-run, as a real Bedrock regression would; answers the result.
   */
  private void handleProfiles(RoutingContext ctx) {
    try {
      JsonObject merged = settings.getJsonObject("profiles").copy().mergeIn(ctx.body().asJsonObject(), true);
      planner.useProfiles(merged);
      settings.put("profiles", merged);
      ctx.json(merged);
    } catch (RuntimeException e) {
      ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("message", String.valueOf(e.getMessage())).encode());
    }
  }

  private void handleClearFaults(RoutingContext ctx) {
    faults.clear();
    ctx.response().setStatusCode(204).end();
  }

  /** The SDK percent-encodes the label ({@code :} → {@code %3A}, {@code /} → {@code %2F}); decode it once. */
  private static String modelId(RoutingContext ctx) {
    String raw = ctx.pathParam("modelId");
    return raw.indexOf('%') >= 0 ? URLDecoder.decode(raw, StandardCharsets.UTF_8) : raw;
  }

  /** A rest-json error, as the SDK parses it: status, {@code x-amzn-ErrorType} header and {@code {"message":…}}. */
  private static void sendError(RoutingContext ctx, BedrockError error, String message) {
    ctx.response()
        .setStatusCode(error.status)
        .putHeader("content-type", "application/json")
        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .putHeader("x-amzn-ErrorType", error.errorType)
        .end(new JsonObject().put("message", message).encode());
  }
}
