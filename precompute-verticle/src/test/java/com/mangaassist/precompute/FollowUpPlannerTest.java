package com.mangaassist.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.precompute.FollowUpPlanner.Planned;
import com.mangaassist.precompute.TransitionModel.Prediction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class FollowUpPlannerTest {

  private static final JsonObject QUESTIONS = new JsonObject()
      .put("purchase", new JsonArray().add(new JsonObject().put("text", "Where can I buy {title}?").put("answer", "purchase")))
      .put("availability", new JsonArray().add(new JsonObject().put("text", "Is {title} in stock?").put("answer", "availability")))
      .put("recommendation", new JsonArray().add(new JsonObject().put("text", "Anything similar to {title}?")
          .put("answer", "model").put("provisional", "similar")))
      .put("product_info", new JsonArray()
          .add(new JsonObject().put("text", "Tell me more about {title}").put("answer", "model"))
          .add(new JsonObject().put("text", "How much is one volume of {title}?").put("answer", "price").put("suggest", false)));

  private final FollowUpPlanner planner = new FollowUpPlanner(FollowUpQuestion.from(QUESTIONS), 2, 0.1, 0.02);

  private static List<String> texts(List<Planned> plan) {
    return plan.stream().map(p -> p.question().text()).toList();
  }

  @Test
  void topIntentsAreAnsweredGeneratedAndSuggestedLessLikelyOnesOnlyFromTheCatalog() {
    List<Planned> plan = planner.plan(List.of(new Prediction("product_info", 0.4), new Prediction("faq", 0.2),
        new Prediction("recommendation", 0.15), new Prediction("availability", 0.05), new Prediction("purchase", 0.01)));
    assertEquals(List.of("Tell me more about {title}", "How much is one volume of {title}?",
        "Anything similar to {title}?", "Is {title} in stock?"), texts(plan),
        "faq has no question; purchase is under the data floor; the trigger's own intent counts like any other");
    Planned more = plan.get(0);
    assertTrue(more.generate() && more.suggest());
    Planned price = plan.get(1);
    assertTrue(!price.generate() && !price.suggest(), "a catalog facet marked suggest=false is answered, not offered");
    assertTrue(plan.get(2).generate() && plan.get(2).suggest(), "second of the top two intents");
    Planned stock = plan.get(3);
    assertTrue(!stock.generate() && !stock.suggest(), "beyond the top-k: answered from the catalog, not offered");
  }

  @Test
  void aModelQuestionBeyondTheTopKIsKeptOnlyForItsCatalogProvisional() {
    List<Planned> plan = planner.plan(List.of(new Prediction("purchase", 0.5), new Prediction("availability", 0.3),
        new Prediction("recommendation", 0.1), new Prediction("product_info", 0.05)));
    assertEquals(List.of("Where can I buy {title}?", "Is {title} in stock?", "Anything similar to {title}?",
        "How much is one volume of {title}?"), texts(plan), "\"tell me more\" has no provisional: dropped");
    Planned similar = plan.get(2);
    assertTrue(!similar.generate() && !similar.suggest(), "its catalog list only, no Haiku tokens");
  }

  @Test
  void aModelQuestionNeedsTheModelFloorEvenInTheTopK() {
    List<Planned> plan = planner.plan(List.of(new Prediction("recommendation", 0.09)));
    assertEquals(1, plan.size());
    assertTrue(!plan.get(0).generate() && !plan.get(0).suggest(), "0.09 < floor 0.1: catalog provisional only");
  }

  @Test
  void aVolumePlaceholderGoesWithAPerVolumeKindOnly() {
    assertThrows(IllegalArgumentException.class, () -> FollowUpQuestion.from(new JsonObject().put("product_info",
        new JsonArray().add(new JsonObject().put("text", "How much is volume {volume} of {title}?").put("answer", "price")))));
    assertThrows(IllegalArgumentException.class, () -> FollowUpQuestion.from(new JsonObject().put("product_info",
        new JsonArray().add(new JsonObject().put("text", "How much is {title}?").put("answer", "volume_price")))));
    assertThrows(IllegalArgumentException.class, () -> FollowUpQuestion.from(new JsonObject().put("purchase",
        new JsonArray().add(new JsonObject().put("text", "Buy {title}?").put("answer", "nonsense")))));
  }
}
