package com.mangaassist.store;

import com.mangaassist.embed.Vectors;
import com.mangaassist.store.CacheLookup.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Picks the cached answer of one scope that may serve a question, in process: no Redis, no I/O. */
final class SemanticMatcher {

  private record Candidate(CachedAnswer entry, double similarity) {}

  private final double threshold;

  SemanticMatcher(double threshold) {
    this.threshold = threshold;
  }

  /**
   * The most similar live entry at or above the threshold that no guard vetoes. When guards veto every candidate
   * above the threshold, the veto of the most similar one is the outcome, so rejections are counted.
   */
  CacheLookup match(String question, String normalized, float[] embedding, List<CachedAnswer> entries, long nowMs) {
    List<Candidate> candidates = new ArrayList<>();
    double best = Double.NaN;
    for (CachedAnswer entry : entries) {
      // dimensions differ only across an embedding-model change; such entries age out with their TTL
      if (entry.expiredAt(nowMs) || entry.embedding() == null || entry.embedding().length != embedding.length) {
        continue;
      }
      double similarity = Vectors.cosine(embedding, entry.embedding());
      best = Double.isNaN(best) ? similarity : Math.max(best, similarity);
      if (similarity >= threshold) {
        candidates.add(new Candidate(entry, similarity));
      }
    }
    if (candidates.isEmpty()) {
      return CacheLookup.rejected(Outcome.MISS, best);
    }
    candidates.sort(Comparator.comparingDouble(Candidate::similarity).reversed());
    Outcome firstVeto = null;
    for (Candidate candidate : candidates) {
      Optional<Outcome> veto = NearMissGuards.veto(
          question, normalized, candidate.entry().question(), candidate.entry().normalizedQuestion());
      if (veto.isEmpty()) {
        return CacheLookup.semantic(candidate.entry(), candidate.similarity());
      }
      if (firstVeto == null) {
        firstVeto = veto.get();
      }
    }
    return CacheLookup.rejected(firstVeto, candidates.get(0).similarity());
  }
}
