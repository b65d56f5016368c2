package com.mangaassist.precompute;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One follow-up question precompute can answer ahead, from {@code precompute.questions} (conf/precompute.json): per
 * intent, a list of
 * <pre>  {"text": "How much is one volume of {title}?", "answer": "price", "cue": "\\b(?:how much|price|cost)",
 *    "suggest": false, "provisional": null}</pre>
 *
 * @param text        the question; {@code {title}} is the title's name, {@code {volume}} makes it a per-volume question
 * @param answer      a catalog kind ({@link CatalogAnswers#answer}, {@link CatalogAnswers#forVolume}) or {@code model}
 *                    (generated on Haiku within the background budget)
 * @param provisional for a model question: a catalog kind stored at once and replaced by the model's answer when it
 *                    is ready (null: nothing until then)
 * @param cue         what the shopper's question must contain for this answer to serve (see
 *                    {@code PrecomputedAnswer.cue}); null for none
 * @param suggest     offered as a suggestion chip when its intent is among the top-k predictions (default true)
 */
record FollowUpQuestion(String intent, String text, String answer, String provisional, String cue, boolean suggest) {

  static final String MODEL = "model";

  FollowUpQuestion {
    if (!MODEL.equals(answer) && !CatalogAnswers.known(answer)) {
      throw new IllegalArgumentException("precompute.questions." + intent + ": unknown answer kind " + answer);
    }
    if (provisional != null && (!CatalogAnswers.known(provisional) || CatalogAnswers.PER_VOLUME_KINDS.contains(provisional))) {
      throw new IllegalArgumentException("precompute.questions." + intent + ": unknown provisional kind " + provisional);
    }
    if (perVolume(text) != CatalogAnswers.PER_VOLUME_KINDS.contains(answer)) {
      throw new IllegalArgumentException("precompute.questions." + intent + ": {volume} in \"" + text
          + "\" goes with a per-volume answer kind " + CatalogAnswers.PER_VOLUME_KINDS + ", and only with one");
    }
  }

  boolean model() {
    return MODEL.equals(answer);
  }

  boolean perVolume() {
    return perVolume(text);
  }

  private static boolean perVolume(String text) {
    return text.contains(com.mangaassist.store.PrecomputedAnswer.VOLUME_PLACEHOLDER);
  }

  /** The questions by intent, in configuration order. */
  static Map<String, List<FollowUpQuestion>> from(JsonObject questions) {
    Map<String, List<FollowUpQuestion>> byIntent = new LinkedHashMap<>();
    for (String intent : questions.fieldNames()) {
      List<FollowUpQuestion> list = new ArrayList<>();
      JsonArray entries = questions.getJsonArray(intent, new JsonArray());
      for (int i = 0; i < entries.size(); i++) {
        JsonObject q = entries.getJsonObject(i);
        list.add(new FollowUpQuestion(intent, q.getString("text"), q.getString("answer", MODEL),
            q.getString("provisional"), q.getString("cue"), q.getBoolean("suggest", true)));
      }
      byIntent.put(intent, List.copyOf(list));
    }
    return byIntent;
  }
}
