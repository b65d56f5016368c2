package com.mangaassist.retrieval;

import io.vertx.core.json.JsonObject;

/**
 * Tuning of the hybrid search, from JSON ({@code conf/retrieval.json}) with defaults. Both backends read it, so the
 * embedded Lucene index and OpenSearch rank by the same recipe.
 *
 * @param candidates how deep each branch (vector, BM25) ranks before fusion; deeper lets a title that both branches
 *     rank moderately still surface, at a little more CPU per search
 * @param knnNumCandidates how many neighbours the HNSW graph search collects before the best {@code candidates} are
 *     kept; a wider beam makes the approximate search find what an exact one would
 * @param rrfK the Reciprocal Rank Fusion constant: a title scores {@code 1/(rrfK + rank)} per branch. 60 is the value
 *     of Cormack, Clarke and Büttcher (SIGIR 2009); it damps the head of each list so one branch's first place cannot
 *     outvote agreement of both branches a few places lower
 * @param maxQueryTerms distinct words of a question used for BM25; the rest is ignored, which bounds the query's
 *     clause count (Lucene refuses more than 1024) and the work a pasted essay can cause
 * @param namesBoost weight of title, romaji and aliases. Kept modest: BM25 already favours a match in this short
 *     field, and a large boost let common words ("love", "story", "girl") in titles outrank a rare, telling word
 *     ("deaf") in a synopsis. On the eval set, boosts between 1 and 3 moved recall@5 by at most one question
 * @param authorBoost weight of the author field (a name searched for is usually meant as the author)
 * @param genresBoost weight of genres and demographic
 * @param synopsisBoost weight of the synopsis
 * @param fuzzyNames whether words of five letters or more also match names within one or two typos
 */
public record HybridSearchSettings(
    int candidates,
    int knnNumCandidates,
    int rrfK,
    int maxQueryTerms,
    float namesBoost,
    float authorBoost,
    float genresBoost,
    float synopsisBoost,
    boolean fuzzyNames) {

  public static HybridSearchSettings fromJson(JsonObject config) {
    JsonObject boosts = config.getJsonObject("boosts", new JsonObject());
    return new HybridSearchSettings(
        Math.max(1, config.getInteger("candidates", 20)),
        Math.max(1, config.getInteger("knnNumCandidates", 100)),
        Math.max(1, config.getInteger("rrfK", 60)),
        Math.max(1, config.getInteger("maxQueryTerms", 24)),
        boosts.getFloat("names", 1.5f),
        boosts.getFloat("author", 1.5f),
        boosts.getFloat("genres", 1f),
        boosts.getFloat("synopsis", 1f),
        config.getBoolean("fuzzyNames", true));
  }

  /** The weight of a BM25 field. */
  public float boost(SearchField field) {
    return switch (field) {
      case NAMES -> namesBoost;
      case AUTHOR -> authorBoost;
      case GENRES -> genresBoost;
      case SYNOPSIS -> synopsisBoost;
    };
  }
}
