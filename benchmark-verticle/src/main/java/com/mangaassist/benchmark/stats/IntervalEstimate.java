package com.mangaassist.benchmark.stats;

/**
 * A point estimate with its confidence interval.
 *
 * @param estimate the point estimate
 * @param lower the interval's lower end
 * @param upper the interval's upper end
 */
public record IntervalEstimate(double estimate, double lower, double upper) {}
