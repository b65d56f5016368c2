package com.mangaassist.retrieval;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.mangaassist.catalog.Catalog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labelled questions of {@code conf/eval/retrieval.jsonl} and how a backend does on them. Hit rate (recall@5):
 * the share of questions with at least one relevant title in the top 5.
 */
public final class RetrievalEval {

  public static final int TOP = 5;

  public record Question(String query, List<String> relevant) {}

  /** What one backend answered: its top titles per question, the hit rate, and the misses for a report. */
  public record Result(Map<String, List<String>> topByQuery, double hitRate, double meanRecall, String misses) {}

  @FunctionalInterface
  public interface TopTitles {
    List<String> top(String query) throws Exception;
  }

  private RetrievalEval() {}

  /** A file of the repository, whether tests run from the module or from the root. */
  public static java.nio.file.Path repoFile(String relative) throws java.io.IOException {
    return SearchFixture.repoFile(relative);
  }

  public static List<Question> questions(Catalog catalog) throws Exception {
    List<Question> questions = new ArrayList<>();
    for (String line : Files.readAllLines(repoFile("conf/eval/retrieval.jsonl"))) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject json = new JsonObject(line);
      List<String> relevant = new ArrayList<>();
      json.getJsonArray("relevant", new JsonArray()).forEach(id -> relevant.add(id.toString()));
      for (String id : relevant) {
        // A label pointing at no title would count as an unfair miss forever.
        assertNotNull(catalog.title(id), "unknown titleId " + id + " in eval question " + line);
      }
      questions.add(new Question(json.getString("query"), relevant));
    }
    return questions;
  }

  public static Result run(List<Question> questions, TopTitles backend) throws Exception {
    Map<String, List<String>> topByQuery = new LinkedHashMap<>();
    int hits = 0;
    double recallSum = 0;
    StringBuilder misses = new StringBuilder();
    for (Question question : questions) {
      List<String> top = backend.top(question.query());
      topByQuery.put(question.query(), top);
      long found = question.relevant().stream().filter(top::contains).count();
      recallSum += (double) found / question.relevant().size();
      if (found > 0) {
        hits++;
      } else {
        misses.append(String.format("  MISS %-50s want %s got %s%n", '"' + question.query() + '"', question.relevant(), top));
      }
    }
    return new Result(topByQuery, (double) hits / questions.size(), recallSum / questions.size(), misses.toString());
  }
}
