package com.mangaassist.intent;

import com.mangaassist.embed.Embedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Multinomial logistic regression over two views of a question: its sentence embedding (meaning) and hashed word
 * unigrams and bigrams (the cue words of shop talk: "in stock", "vs", "tracking", "refund"). Trained at start-up
 * from the labeled examples in well under a second; a classification is a few thousand multiply-adds.
 */
public final class LogisticIntentClassifier implements IntentClassifier {

  /** Hashed n-gram buckets: collisions are rare at a few thousand distinct n-grams. */
  private static final int HASHED = 1 << 13;
  /** Compiled once: every turn's question is split into words here, twice with the early start. */
  private static final java.util.regex.Pattern NON_WORD = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}']+");
  private static final int EPOCHS = 80;
  private static final double LEARNING_RATE = 2.0;
  private static final double L2 = 1e-5;

  private final String[] intents;
  private final int dense;
  private final double[][] denseWeights;
  private final double[][] sparseWeights;
  private final double[] bias;

  private LogisticIntentClassifier(String[] intents, int dense) {
    this.intents = intents;
    this.dense = dense;
    this.denseWeights = new double[intents.length][dense];
    this.sparseWeights = new double[intents.length][HASHED];
    this.bias = new double[intents.length];
  }

  /** One question as features: the dense embedding and the indices of its hashed n-grams (each weighing 1/√n). */
  private record Features(float[] embedding, int[] ngrams, double ngramWeight) {}

  /**
   * Trains on the {@code train} split, each text passed through {@code prepare} (the same preparation questions get
   * at run time, such as masking titles). Blocking CPU work: run it on a worker.
   */
  public static LogisticIntentClassifier train(List<LabeledExample> examples, Embedder embedder,
      UnaryOperator<String> prepare) {
    return train(examples, prepare, embedder::embedAll, embedder.dimensions());
  }

  /**
   * A classifier of the words alone (no embedding): it can decide before a question is embedded, and it is sure
   * less often. {@link #classify} then takes {@code null} for the embedding.
   */
  public static LogisticIntentClassifier trainOnWords(List<LabeledExample> examples, UnaryOperator<String> prepare) {
    return train(examples, prepare, texts -> texts.stream().map(text -> new float[0]).toList(), 0);
  }

  private static LogisticIntentClassifier train(List<LabeledExample> examples, UnaryOperator<String> prepare,
      Function<List<String>, List<float[]>> embedAll, int dimensions) {
    List<LabeledExample> training = examples.stream().filter(LabeledExample::training).toList();
    if (training.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    String[] intents = new TreeSet<>(training.stream().map(LabeledExample::intent).toList()).toArray(String[]::new);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < intents.length; i++) {
      index.put(intents[i], i);
    }
    List<String> texts = training.stream().map(LabeledExample::text).map(prepare).toList();
    List<float[]> embeddings = embedAll.apply(texts);
    List<Features> features = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      features.add(features(texts.get(i), embeddings.get(i)));
    }
    LogisticIntentClassifier model = new LogisticIntentClassifier(intents, dimensions);
    int[] labels = training.stream().mapToInt(e -> index.get(e.intent())).toArray();
    model.fit(features, labels);
    return model;
  }

  @Override
  public IntentPrediction classify(String text, float[] embedding) {
    double[] p = probabilities(features(text, embedding));
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return new IntentPrediction(intents[best], p[best]);
  }

  /**
   * Stochastic gradient descent on the cross-entropy, examples shuffled with a fixed seed (so training is
   * deterministic) and a learning rate that decays over the epochs.
   */
  private void fit(List<Features> features, int[] labels) {
    int n = features.size();
    int classes = intents.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Random shuffle = new java.util.Random(42);
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      java.util.Collections.shuffle(java.util.Arrays.asList(order), shuffle);
      double rate = LEARNING_RATE / (1 + epoch * 0.1);
      for (int i : order) {
        Features f = features.get(i);
        double[] p = probabilities(f);
        for (int c = 0; c < classes; c++) {
          double step = rate * (p[c] - (labels[i] == c ? 1 : 0));
          bias[c] -= step;
          double[] w = denseWeights[c];
          for (int d = 0; d < dense; d++) {
            w[d] -= step * f.embedding()[d] + rate * L2 * w[d];
          }
          for (int g : f.ngrams()) {
            sparseWeights[c][g] -= step * f.ngramWeight();
          }
        }
      }
    }
  }

  private double[] probabilities(Features f) {
    int classes = intents.length;
    double[] logits = new double[classes];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      double z = bias[c];
      for (int d = 0; d < dense; d++) {
        z += denseWeights[c][d] * f.embedding()[d];
      }
      for (int g : f.ngrams()) {
        z += sparseWeights[c][g] * f.ngramWeight();
      }
      logits[c] = z;
      max = Math.max(max, z);
    }
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      logits[c] = Math.exp(logits[c] - max);
      sum += logits[c];
    }
    for (int c = 0; c < classes; c++) {
      logits[c] /= sum;
    }
    return logits;
  }

  private static Features features(String text, float[] embedding) {
    String[] words = NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip().split(" ");
    List<Integer> grams = new ArrayList<>();
    for (int i = 0; i < words.length; i++) {
      if (words[i].isEmpty()) {
        continue;
      }
      grams.add(Math.floorMod(words[i].hashCode(), HASHED));
      if (i + 1 < words.length) {
        grams.add(Math.floorMod((words[i] + ' ' + words[i + 1]).hashCode(), HASHED));
      }
    }
    int[] ngrams = grams.stream().distinct().mapToInt(Integer::intValue).toArray();
    return new Features(embedding, ngrams, ngrams.length == 0 ? 0 : 1 / Math.sqrt(ngrams.length));
  }
}
