package com.mangaassist.intent;

import com.mangaassist.embed.Embedder;
import com.mangaassist.embed.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * k-nearest-neighbour intent classification over sentence embeddings of labeled examples: the intent with the
 * largest summed similarity among the {@code k} closest examples wins. With the question's embedding already
 * computed, a classification is a few hundred dot products: well under a millisecond.
 */
public final class NearestNeighbourIntentClassifier implements IntentClassifier {

  private final String[] intents;
  private final float[][] vectors;
  private final int k;

  private NearestNeighbourIntentClassifier(String[] intents, float[][] vectors, int k) {
    this.intents = intents;
    this.vectors = vectors;
    this.k = k;
  }

  /** Embeds every training example: blocking CPU work of a second or two, run it on a worker. */
  public static NearestNeighbourIntentClassifier train(List<LabeledExample> examples, Embedder embedder, int k) {
    List<LabeledExample> training = examples.stream().filter(LabeledExample::training).toList();
    if (training.isEmpty()) {
      throw new IllegalArgumentException("no training examples");
    }
    List<float[]> embedded = embedder.embedAll(training.stream().map(LabeledExample::text).toList());
    return new NearestNeighbourIntentClassifier(
        training.stream().map(LabeledExample::intent).toArray(String[]::new),
        embedded.toArray(new float[0][]),
        k);
  }

  @Override
  public IntentPrediction classify(String text, float[] embedding) {
    int n = vectors.length;
    double[] scores = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      scores[i] = Vectors.cosine(embedding, vectors[i]);
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    Map<String, Double> votes = new HashMap<>();
    double total = 0;
    for (int rank = 0; rank < Math.min(k, n); rank++) {
      int i = order[rank];
      double weight = Math.max(0, scores[i]);
      votes.merge(intents[i], weight, Double::sum);
      total += weight;
    }
    String best = null;
    double bestVote = -1;
    for (Map.Entry<String, Double> vote : votes.entrySet()) {
      if (vote.getValue() > bestVote) {
        best = vote.getKey();
        bestVote = vote.getValue();
      }
    }
    return new IntentPrediction(best, total == 0 ? 0 : bestVote / total);
  }

  public List<String> intents() {
    return new ArrayList<>(Arrays.stream(intents).distinct().sorted().toList());
  }
}
