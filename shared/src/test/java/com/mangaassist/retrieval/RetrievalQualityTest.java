package com.mangaassist.retrieval;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shoppers find what they ask for: every labelled question of {@code conf/eval/retrieval.jsonl} against the real
 * model and catalog. Hit rate (recall@5): the share of questions with at least one relevant title in the top 5.
 */
class RetrievalQualityTest {

  private static final int TOP = 5;
  private static final double MIN_HIT_RATE = 0.85;

  private record Labelled(String query, List<String> relevant) {}

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
    List<Labelled> questions = labelled();
    assertTrue(questions.size() >= 60, "eval set has " + questions.size() + " questions");
    int hits = 0;
    double recallSum = 0;
    StringBuilder misses = new StringBuilder();
    for (Labelled question : questions) {
      List<String> top = fixture.askIds(question.query(), TOP);
      long found = question.relevant().stream().filter(top::contains).count();
      recallSum += (double) found / question.relevant().size();
      if (found > 0) {
        hits++;
      } else {
        misses.append(String.format("  MISS %-50s want %s got %s%n", '"' + question.query() + '"', question.relevant(), top));
      }
    }
    double hitRate = (double) hits / questions.size();
    double meanRecall = recallSum / questions.size();
    System.out.printf("retrieval eval: %d questions, recall@5 (hit rate) %.3f, mean recall@5 over relevant ids %.3f%n%s",
        questions.size(), hitRate, meanRecall, misses);
    assertTrue(hitRate >= MIN_HIT_RATE, String.format("recall@5 %.3f < %.2f%n%s", hitRate, MIN_HIT_RATE, misses));
  }

  static List<Labelled> labelled() throws Exception {
    List<Labelled> questions = new ArrayList<>();
    for (String line : Files.readAllLines(SearchFixture.repoFile("conf/eval/retrieval.jsonl"))) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject json = new JsonObject(line);
      List<String> relevant = new ArrayList<>();
      json.getJsonArray("relevant", new JsonArray()).forEach(id -> relevant.add(id.toString()));
      for (String id : relevant) {
        // A label pointing at no title would count as an unfair miss forever.
        assertNotNull(fixture.catalog.title(id), "unknown titleId " + id + " in eval question " + line);
      }
      questions.add(new Labelled(json.getString("query"), relevant));
    }
    return questions;
  }
}
