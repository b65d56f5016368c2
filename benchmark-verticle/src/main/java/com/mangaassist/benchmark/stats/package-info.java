/**
 * Pure statistics for comparing latency samples, no Vert.x: the project's one percentile estimator
 * ({@link com.mangaassist.benchmark.stats.Percentiles}, nearest rank), rank tests, effect sizes, bootstrap
 * intervals and exact tests on counts. Two-sample methods take the new sample first and the base second, like
 * SciPy's {@code mannwhitneyu(x, y)}, and one-sided alternatives mean "new is slower". Each class states its method
 * and why, and its tests check it against published values (SciPy, R, textbooks) or exact enumeration.
 */
package com.mangaassist.benchmark.stats;
