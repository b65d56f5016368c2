package com.mangaassist.store;

import com.mangaassist.embed.Vectors;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides, in process and without I/O, whether one of a session's precomputed answers may serve a new question.
 *
 * <p>An answer serves only when all of these hold:
 * <ol>
 *   <li>same intent (from the orchestrator's classifier) and same resolved titles (as sets) and same volumes
 *       (as sets; both empty counts as equal): the hard scope, as in the semantic cache;
 *   <li>cosine ≥ threshold between the embeddings of {@link #matchText} of both title-masked questions (MiniLM);
 *   <li>no lexical guard objects, on the title-masked texts (so "Kaiju No. 8" is neither a negation nor a number):
 *       a negation on one side only; a number in the shopper's question that the predicted one lacks (quantities,
 *       prices, years: the templated answer is generic). Quoted terms are not checked: masking drops quotes, and an
 *       unknown quoted title resolves to no title at all, which fails the entity check;
 *   <li>when the answer carries a {@link PrecomputedAnswer#cue cue}, the shopper's question contains it. A cue tells
 *       apart answers of one intent about one title (price, volume count and "tell me more" are all
 *       {@code product_info}), which cosine cannot; and because it is lexical evidence of the same kind of question,
 *       independent of the embedding, an answer whose cue is present needs only {@link #CUE_RELAXATION} × the
 *       threshold of similarity.
 * </ol>
 * A per-volume answer ({@link PrecomputedAnswer#perVolume()}) takes part only for a question about exactly one
 * volume it has an answer for, and is checked as the answer written for that volume ({@link
 * PrecomputedAnswer#forVolume}): volumes, numbers and all. Among the answers that pass, the most similar one serves.
 */
public final class PrecomputeMatcher {

  /** Why a question was (not) served: the orchestrator counts these. */
  public enum Outcome {
    SERVED,
    /** No live answer with this intent, titles and volumes. */
    NO_CANDIDATE,
    /** Candidates in scope, none similar enough. */
    BELOW_THRESHOLD,
    NEGATION_GUARD,
    NUMBER_GUARD,
    /** The answer's cue is missing from the question: another facet of the same intent. */
    CUE_GUARD
  }

  /** The decision: {@code answer} is null unless {@code outcome} is SERVED; similarity is NaN without candidates. */
  public record Decision(PrecomputedAnswer answer, Outcome outcome, double similarity) {}

  /*
   * Threshold 0.5, on embeddings of matchText(title-masked question). Measured with MiniLM (the probe
   * PrecomputeThresholdProbeTest, -Dprecompute.probe=true) against the templated predicted questions:
   *   paraphrases of the predicted question: "where can i buy it" 1.00, "i want to buy it" 0.94, "is it in stock" 0.85,
   *   "what is it about" 0.86, "can you recommend something like it" 0.71, "how much is it" 0.71, "who wrote it" 0.67,
   *   "when does the next one come out" 0.55, "do you have it available" 0.55; misses below 0.5: "is there a new
   *   volume" 0.44, "tell me more" 0.40, "anything similar" 0.33, "are there copies left" 0.21.
   *   other questions about the same title: 0.03 to 0.66 ("what is it about" vs "where can i buy the manga" 0.66).
   * So cosine cannot separate intents here; the intent and entity equality does. The cosine check is a second,
   * coarse "same kind of question" test, and 0.75 (the cache-like value) would refuse half of the good paraphrases.
   * A click on an offered suggestion is the predicted question itself (similarity 1.0) and always passes.
   */
  public static final double DEFAULT_THRESHOLD = 0.5;

  /*
   * With a cue present the bar is 0.7 × threshold (0.35 at 0.5). Measured with MiniLM against the shipped predicted
   * questions (conf/precompute.json): elliptical paraphrases that carry the cue but little of the template's wording,
   * "is there a new volume coming?" 0.48, "anything similar?" 0.53 (vs "Anything similar to …?"), "something
   * similar?" 0.40, "similar series?" 0.33; unrelated questions of the same intent and title without the cue are
   * refused by the cue itself whatever their similarity.
   */
  static final double CUE_RELAXATION = 0.7;

  private static final java.util.Map<String, Pattern> CUES = new java.util.concurrent.ConcurrentHashMap<>();

  private static final Pattern PRONOUN = Pattern.compile(
      "\\b(?:it|its|that one|this one|that series|this series|the series|that manga|this manga|that|this|them)\\b");

  private PrecomputeMatcher() {}

  /**
   * The text both sides embed for matching: the title-masked question ({@code EntityResolver.maskTitles}, which writes
   * "the manga" for a title) with references to the conversation's title ("it", "that one") written the same way,
   * so "where can I buy it?" and "Where can I buy One Piece?" compare as the same question. When the masked question
   * has no such pronoun this is the masked text itself, whose embedding the orchestrator already has for intents.
   */
  public static String matchText(String maskedQuestion) {
    return PRONOUN.matcher(maskedQuestion.toLowerCase(Locale.ROOT)).replaceAll("the manga");
  }

  /**
   * The decision for {@code maskedQuestion} (title-masked) with its resolved {@code intent}, {@code titleIds},
   * {@code volumes} and L2-normalised embedding, at {@code nowMs}.
   */
  public static Decision decide(List<PrecomputedAnswer> answers, String maskedQuestion, String intent,
      List<String> titleIds, List<Integer> volumes, float[] questionEmbedding, double threshold, long nowMs) {
    if (answers == null || answers.isEmpty() || intent == null || questionEmbedding == null) {
      return new Decision(null, Outcome.NO_CANDIDATE, Double.NaN);
    }
    Scope scope = Scope.of(maskedQuestion, titleIds, volumes);
    PrecomputedAnswer best = null;
    double bestSimilarity = Double.NaN;
    Outcome firstVeto = null;
    double topSimilarity = Double.NaN;
    for (PrecomputedAnswer stored : answers) {
      PrecomputedAnswer answer = inScope(stored, intent, scope, nowMs);
      if (answer == null || answer.embedding().length != questionEmbedding.length) {
        continue;
      }
      double similarity = Vectors.cosine(questionEmbedding, answer.embedding());
      topSimilarity = Double.isNaN(topSimilarity) ? similarity : Math.max(topSimilarity, similarity);
      if (similarity < (answer.cue() != null ? CUE_RELAXATION * threshold : threshold)) {
        continue;
      }
      Outcome veto = objection(scope.normalized(), answer);
      if (veto != null) {
        if (firstVeto == null || similarity >= topSimilarity) {
          firstVeto = veto;
        }
        continue;
      }
      if (best == null || similarity > bestSimilarity) {
        best = answer;
        bestSimilarity = similarity;
      }
    }
    if (best != null) {
      return new Decision(best, Outcome.SERVED, bestSimilarity);
    }
    if (Double.isNaN(topSimilarity)) {
      return new Decision(null, Outcome.NO_CANDIDATE, Double.NaN);
    }
    return new Decision(null, firstVeto != null ? firstVeto : Outcome.BELOW_THRESHOLD, topSimilarity);
  }

  /**
   * Whether one of the answers could serve the question once its embedding is known: every check of {@link #decide}
   * but the similarity. When false, no embedding makes an answer serve at this intent, so a model call made before
   * the embedding (the orchestrator's early start) cannot be abandoned for a precomputed answer.
   */
  public static boolean couldServe(List<PrecomputedAnswer> answers, String maskedQuestion, String intent,
      List<String> titleIds, List<Integer> volumes, long nowMs) {
    if (answers == null || answers.isEmpty() || intent == null) {
      return false;
    }
    Scope scope = Scope.of(maskedQuestion, titleIds, volumes);
    for (PrecomputedAnswer stored : answers) {
      PrecomputedAnswer answer = inScope(stored, intent, scope, nowMs);
      if (answer != null && objection(scope.normalized(), answer) == null) {
        return true;
      }
    }
    return false;
  }

  /** The question as the checks compare it: its titles and volumes as sets, its masked text normalised. */
  private record Scope(Set<String> titles, Set<Integer> volumes, String normalized) {
    static Scope of(String maskedQuestion, List<String> titleIds, List<Integer> volumes) {
      return new Scope(new HashSet<>(titleIds == null ? List.of() : titleIds),
          new HashSet<>(volumes == null ? List.of() : volumes),
          QuestionNormalizer.normalize(maskedQuestion == null ? "" : maskedQuestion));
    }
  }

  /**
   * The answer as it would serve a question of this intent, titles and volumes (a per-volume answer written for the
   * one volume asked), or null when out of that scope, expired, or without an embedding to compare.
   */
  private static PrecomputedAnswer inScope(PrecomputedAnswer stored, String intent, Scope scope, long nowMs) {
    PrecomputedAnswer answer = stored.perVolume()
        ? (scope.volumes().size() == 1 ? stored.forVolume(scope.volumes().iterator().next()) : null)
        : stored;
    if (answer == null || answer.expiredAt(nowMs) || !intent.equals(answer.intent())
        || !scope.titles().equals(new HashSet<>(answer.titleIds()))
        || !scope.volumes().equals(new HashSet<>(answer.volumes()))
        || answer.embedding() == null) {
      return null;
    }
    return answer;
  }

  /** A lexical objection to serving the answer for the (normalised, masked) question: guards, then the cue. */
  private static Outcome objection(String normalized, PrecomputedAnswer answer) {
    Outcome veto = veto(normalized, answer.maskedQuestion());
    if (veto == null && answer.cue() != null && !cue(answer.cue()).matcher(normalized).find()) {
      return Outcome.CUE_GUARD;
    }
    return veto;
  }

  /** The compiled cue (answers of a session share a handful of cues: compiled once per process). */
  private static Pattern cue(String regex) {
    return CUES.computeIfAbsent(regex, r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE));
  }

  static Outcome veto(String normalized, String predictedQuestion) {
    String predicted = QuestionNormalizer.normalize(predictedQuestion == null ? "" : predictedQuestion);
    if (NearMissGuards.hasNegation(normalized) != NearMissGuards.hasNegation(predicted)) {
      return Outcome.NEGATION_GUARD;
    }
    if (!NearMissGuards.numbers(predicted).containsAll(NearMissGuards.numbers(normalized))) {
      return Outcome.NUMBER_GUARD;
    }
    return null;
  }
}
