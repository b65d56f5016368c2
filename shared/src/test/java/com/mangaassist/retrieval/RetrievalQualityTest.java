package com.mangaassist.retrieval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shoppers find what they ask for: every labelled question of {@code conf/eval/retrieval.jsonl} against the real
 * model and catalog. Hit rate (recall@5): the share of questions with at least one relevant title in the top 5.
 * {@code OpenSearchCatalogSearchTest} runs the same questions against OpenSearch and compares.
 */
class RetrievalQualityTest {

  static final double MIN_HIT_RATE = 0.85;

  private static SearchFixture fixture;

  @BeforeAll
  static void indexCatalog() throws Exception {
    fixture = SearchFixture.indexed(new JsonObject());
  }

  @AfterAll
  static void close() throws Exception {
    fixture.close();
  }

  @Test
  void atLeast85PercentOfQuestionsFindARelevantTitleInTheTop5() throws Exception {
    List<RetrievalEval.Question> questions = RetrievalEval.questions(fixture.catalog);
    assertTrue(questions.size() >= 60, "eval set has " + questions.size() + " questions");
    RetrievalEval.Result result = RetrievalEval.run(questions, query -> fixture.askIds(query, RetrievalEval.TOP));
    System.out.printf("retrieval eval: %d questions, recall@5 (hit rate) %.3f, mean recall@5 over relevant ids %.3f%n%s",
        questions.size(), result.hitRate(), result.meanRecall(), result.misses());
    assertTrue(result.hitRate() >= MIN_HIT_RATE,
        String.format("recall@5 %.3f < %.2f%n%s", result.hitRate(), MIN_HIT_RATE, result.misses()));
  }
}
