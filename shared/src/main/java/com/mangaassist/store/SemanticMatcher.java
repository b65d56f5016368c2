package com.mangaassist.store;

import com.mangaassist.embed.Vectors;
import com.mangaassist.store.CacheLookup.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the cached answer of one scope that may serve a question, in process: no Redis, no I/O. Two steps, so that
 * only the candidates above the threshold have their answers read: {@link #rank} over the scope's probes, then
 * {@link #pick} among those candidates' entries.
 */
final class SemanticMatcher {

  /** A probe similar enough to be a candidate. */
  record Candidate(String questionHash, double similarity) {}

  /**
   * @param best cosine of the most similar live probe (NaN when the scope had none)
   * @param candidates the probes at or above the threshold, most similar first
   */
  record Ranking(double best, List<Candidate> candidates) {}

  private final double threshold;

  SemanticMatcher(double threshold) {
    this.threshold = threshold;
  }

  Ranking rank(float[] embedding, List<SemanticProbe> probes, long nowMs) {
    List<Candidate> candidates = new ArrayList<>();
    double best = Double.NaN;
    for (SemanticProbe probe : probes) {
      // dimensions differ only across an embedding-model change; such entries age out with their TTL
      if (nowMs >= probe.expiresAt() || probe.embedding().length != embedding.length) {
        continue;
      }
      double similarity = Vectors.cosine(embedding, probe.embedding());
      best = Double.isNaN(best) ? similarity : Math.max(best, similarity);
      if (similarity >= threshold) {
        candidates.add(new Candidate(probe.questionHash(), similarity));
      }
    }
    candidates.sort(Comparator.comparingDouble(Candidate::similarity).reversed());
    return new Ranking(best, candidates);
  }

  /**
   * The most similar live candidate that no guard vetoes. When guards veto every candidate, the veto of the most
   * similar one is the outcome, so rejections are counted. {@code entries} holds the candidates' answers by question
   * hash; one that expired or was evicted since the ranking is passed over.
   */
  CacheLookup pick(String question, String normalized, Ranking ranking, Map<String, CachedAnswer> entries, long nowMs) {
    Outcome firstVeto = null;
    double firstVetoed = Double.NaN;
    for (Candidate candidate : ranking.candidates()) {
      CachedAnswer entry = entries.get(candidate.questionHash());
      if (entry == null || entry.expiredAt(nowMs)) {
        continue;
      }
      Optional<Outcome> veto = NearMissGuards.veto(question, normalized, entry.question(), entry.normalizedQuestion());
      if (veto.isEmpty()) {
        return CacheLookup.semantic(entry, candidate.similarity());
      }
      if (firstVeto == null) {
        firstVeto = veto.get();
        firstVetoed = candidate.similarity();
      }
    }
    return firstVeto == null ? CacheLookup.rejected(Outcome.MISS, ranking.best())
        : CacheLookup.rejected(firstVeto, firstVetoed);
  }
}
