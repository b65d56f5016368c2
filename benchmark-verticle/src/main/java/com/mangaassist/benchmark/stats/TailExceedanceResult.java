package com.mangaassist.benchmark.stats;

/**
 * Outcome of a {@link TailExceedance}.
 *
 * @param threshold the base quantile the new values were compared with
 * @param exceedances how many new values were strictly above it
 * @param pValue P(at least that many) if both samples come from one distribution
 */
public record TailExceedanceResult(double threshold, int exceedances, double pValue) {}
