package com.mangaassist.precompute;

import com.mangaassist.precompute.TransitionModel.Prediction;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which follow-ups to answer ahead after a turn, and how, from the predicted next intents (most likely first).
 *
 * <ul>
 *   <li>The top {@code topK} intents at or above {@code probabilityFloor}: every question of theirs is answered;
 *       their model questions are generated on Haiku; their suggestible questions are offered as chips.
 *   <li>Further intents at or above {@code dataProbabilityFloor}: their catalog answers only (and the catalog
 *       provisional of their model questions), never suggested. A catalog answer costs no model tokens, only an
 *       embedding and a Redis write, so a lower bar than the model's pays: it is what keeps a stock question answered
 *       when the shop's traffic ranks stock fifth after a product question.
 * </ul>
 * The trigger's own intent is predicted like any other: a product question is often followed by another
 * ("how much is one volume?", "tell me more"), and the learned transitions say how often.
 */
final class FollowUpPlanner {

  /** One question to answer: {@code generate} when its model answer is to be generated, {@code suggest} when offered. */
  record Planned(FollowUpQuestion question, double probability, boolean generate, boolean suggest) {}

  private final Map<String, List<FollowUpQuestion>> questions;
  private final int topK;
  private final double probabilityFloor;
  private final double dataProbabilityFloor;

  FollowUpPlanner(Map<String, List<FollowUpQuestion>> questions, int topK, double probabilityFloor,
      double dataProbabilityFloor) {
    this.questions = questions;
    this.topK = topK;
    this.probabilityFloor = probabilityFloor;
    this.dataProbabilityFloor = Math.min(dataProbabilityFloor, probabilityFloor);
  }

  static FollowUpPlanner from(JsonObject conf) {
    return new FollowUpPlanner(FollowUpQuestion.from(conf.getJsonObject("questions", new JsonObject())),
        conf.getInteger("topK", 4), conf.getDouble("probabilityFloor", 0.08),
        conf.getDouble("dataProbabilityFloor", 0.02));
  }

  /** The plan for {@code predictions} (most likely first), most likely first. */
  List<Planned> plan(List<Prediction> predictions) {
    List<Planned> plan = new ArrayList<>();
    int top = 0;
    for (Prediction prediction : predictions) {
      List<FollowUpQuestion> ofIntent = questions.get(prediction.intent());
      if (ofIntent == null || ofIntent.isEmpty() || prediction.probability() < dataProbabilityFloor) {
        continue;
      }
      boolean inTop = top < topK && prediction.probability() >= probabilityFloor;
      if (inTop) {
        top++;
      }
      for (FollowUpQuestion question : ofIntent) {
        boolean generate = inTop && question.model();
        if (generate || !question.model() || question.provisional() != null) {
          plan.add(new Planned(question, prediction.probability(), generate, inTop && question.suggest()));
        }
      }
    }
    return plan;
  }

  /** Every intent some question answers: the intents precompute can serve. */
  java.util.Set<String> intents() {
    return questions.keySet();
  }
}
