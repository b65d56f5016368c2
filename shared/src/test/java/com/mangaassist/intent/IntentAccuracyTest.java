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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The intent classifier on the held-out split of conf/intents/examples.jsonl, with its confusion table. */
class IntentAccuracyTest {

  private static final Path HOME = Path.of(System.getProperty("mangaassist.home", "..")).toAbsolutePath().normalize();

  private static List<LabeledExample> examples;
  private static List<LabeledExample> heldOut;
  private static MiniLmEmbedder embedder;
  private static java.util.function.UnaryOperator<String> prepare;
  private static IntentClassifier classifier;

  @BeforeAll
  static void train() throws Exception {
    examples = LabeledExample.read(HOME.resolve("conf/intents/examples.jsonl"));
    heldOut = examples.stream().filter(e -> !e.training()).toList();
    embedder = new MiniLmEmbedder();
    EntityResolver resolver = new EntityResolver(Catalog.read(HOME.resolve("conf/catalog/catalog.json")));
    // questions are prepared as the orchestrator prepares them: titles masked, references to the title written alike
    prepare = text -> PrecomputeMatcher.matchText(resolver.maskTitles(text));
    classifier = LogisticIntentClassifier.train(examples, embedder, prepare);
  }

  @Test
  void heldOutAccuracyIsAtLeastNinetyPercent() {
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

  /**
   * The words-only classifier lets the orchestrator call the model before a question is embedded, where the words
   * are sure (orchestrator.earlyStart.minConfidence, 0.7 as shipped); the full classifier then confirms the intent,
   * and every disagreement is a model call cancelled and started over. Sure words must therefore cover a good share
   * of questions and rarely disagree with the full classifier.
   */
  @Test
  void wordsAloneAreSureOftenAndRarelyOverruled() {
    IntentClassifier words = LogisticIntentClassifier.trainOnWords(examples, prepare);
    int sure = 0;
    int overruled = 0;
    int right = 0;
    for (LabeledExample example : heldOut) {
      String masked = prepare.apply(example.text());
      IntentPrediction byWords = words.classify(masked, null);
      if (byWords.confidence() < 0.7) {
        continue;
      }
      sure++;
      right += byWords.intent().equals(example.intent()) ? 1 : 0;
      String byMeaning = classifier.classify(masked, embedder.embed(masked)).intent();
      if (!byMeaning.equals(byWords.intent())) {
        overruled++;
        System.out.printf("  overruled: words %-15s meaning %-15s %s%n", byWords.intent(), byMeaning, example.text());
      }
    }
    System.out.printf("words alone sure of %d of %d held-out questions (%.1f %% of them right), overruled on %d%n",
        sure, heldOut.size(), 100.0 * right / Math.max(1, sure), overruled);
    assertTrue(sure >= heldOut.size() / 3, "sure of only " + sure + " of " + heldOut.size());
    assertTrue(overruled <= 0.1 * sure, "overruled on " + overruled + " of " + sure);
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
