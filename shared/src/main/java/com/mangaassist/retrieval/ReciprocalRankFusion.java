package com.mangaassist.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal Rank Fusion: each ranking gives a title {@code 1/(k + rank)} (rank from 1), and the sums order the result.
 * Only ranks count, so the BM25 and cosine scores, which live on unrelated scales, need no calibration.
 */
public final class ReciprocalRankFusion {

  private final int k;

  public ReciprocalRankFusion(int k) {
    this.k = k;
  }

  /** The best {@code limit} titles over all rankings, best first; ties go to the better single rank, then the id. */
  public List<SearchHit> fuse(List<List<String>> rankings, int limit) {
    Map<String, Double> scores = new HashMap<>();
    Map<String, Integer> bestRank = new HashMap<>();
    for (List<String> ranking : rankings) {
      for (int i = 0; i < ranking.size(); i++) {
        String id = ranking.get(i);
        scores.merge(id, 1.0 / (k + i + 1), Double::sum);
        bestRank.merge(id, i + 1, Math::min);
      }
    }
    List<SearchHit> hits = new ArrayList<>();
    scores.forEach((id, score) -> hits.add(new SearchHit(id, score)));
    hits.sort(Comparator.comparingDouble(SearchHit::score).reversed()
        .thenComparing(hit -> bestRank.get(hit.titleId()))
        .thenComparing(SearchHit::titleId));
    return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : List.copyOf(hits);
  }
}
