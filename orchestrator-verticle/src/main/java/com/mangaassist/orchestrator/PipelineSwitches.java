package com.mangaassist.orchestrator;

import io.vertx.core.json.JsonObject;

/**
 * Optimisations of the seed's checklist that can be switched off, so that {@code bench checklist} measures each as a
 * with/without pair. Production keeps them all on (the defaults); nothing else should turn them off.
 *
 * @param preloadedPrompts false reads the prompt template from disk on every turn, as a naive pipeline would
 * @param routeByIntent false sends every turn to {@code singleModel}, the one capable model a shop without routing
 *     would pick
 * @param servePrecomputed false never looks at the session's precomputed answers
 */
record PipelineSwitches(boolean preloadedPrompts, boolean routeByIntent, String singleModel, boolean servePrecomputed) {

  /**
   * {@code orchestrator.prompts.preloaded}, {@code routing.byIntent.enabled}, {@code routing.byIntent.otherwise} and
   * {@code precompute.serve} of the combined configuration.
   */
  static PipelineSwitches from(JsonObject config) {
    JsonObject orchestrator = config.getJsonObject("orchestrator", new JsonObject());
    JsonObject byIntent = config.getJsonObject("routing", new JsonObject()).getJsonObject("byIntent", new JsonObject());
    return new PipelineSwitches(
        orchestrator.getJsonObject("prompts", new JsonObject()).getBoolean("preloaded", true),
        byIntent.getBoolean("enabled", true),
        byIntent.getString("otherwise", "sonnet"),
        config.getJsonObject("precompute", new JsonObject()).getBoolean("serve", true));
  }
}
