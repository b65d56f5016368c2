package com.mangaassist.intent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.embed.MiniLmEmbedder;
import com.mangaassist.store.PrecomputeMatcher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The intent classifier on the held-out split of conf/intents/examples.jsonl, with its confusion table. */
class IntentAccuracyTest {

  private static final Path HOME = Path.of(System.getProperty("mangaassist.home", "..")).toAbsolutePath().normalize();

  @Test
  void heldOutAccuracyIsAtLeastNinetyPercent() throws Exception {
    List<LabeledExample> examples = LabeledExample.read(HOME.resolve("conf/intents/examples.jsonl"));
    MiniLmEmbedder embedder = new MiniLmEmbedder();
    EntityResolver resolver = new EntityResolver(Catalog.read(HOME.resolve("conf/catalog/catalog.json")));
    // questions are prepared as the orchestrator prepares them: titles masked, references to the title written alike
    java.util.function.UnaryOperator<String> prepare = text -> PrecomputeMatcher.matchText(resolver.maskTitles(text));
    IntentClassifier classifier = LogisticIntentClassifier.train(examples, embedder, prepare);
    List<LabeledExample> heldOut = examples.stream().filter(e -> !e.training()).toList();

    Map<String, Map<String, Integer>> confusion = new TreeMap<>();
    int correct = 0;
    for (LabeledExample example : heldOut) {
      String masked = prepare.apply(example.text());
      String predicted = classifier.classify(masked, embedder.embed(masked)).intent();
      confusion.computeIfAbsent(example.intent(), k -> new TreeMap<>()).merge(predicted, 1, Integer::sum);
      if (predicted.equals(example.intent())) {
        correct++;
      } else {
        System.out.printf("  %-15s -> %-15s %s%n", example.intent(), predicted, example.text());
      }
    }
    double accuracy = (double) correct / heldOut.size();
    printConfusion(confusion);
    System.out.printf("intent accuracy on %d held-out examples: %.1f %%%n", heldOut.size(), 100 * accuracy);
    assertTrue(heldOut.size() >= 100, "a real held-out split");
    assertTrue(accuracy >= 0.90, "held-out accuracy " + accuracy);
  }

  private static void printConfusion(Map<String, Map<String, Integer>> confusion) {
    TreeSet<String> labels = new TreeSet<>(confusion.keySet());
    confusion.values().forEach(row -> labels.addAll(row.keySet()));
    StringBuilder header = new StringBuilder(String.format("%-15s", "true \\ predicted"));
    labels.forEach(l -> header.append(String.format(" %5.5s", l)));
    System.out.println(header);
    for (String truth : labels) {
      StringBuilder row = new StringBuilder(String.format("%-15s", truth));
      for (String predicted : labels) {
        row.append(String.format(" %5d", confusion.getOrDefault(truth, Map.of()).getOrDefault(predicted, 0)));
      }
      System.out.println(row);
    }
  }
}
