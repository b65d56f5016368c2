package com.mangaassist.benchmark.compare;

import java.util.Arrays;
import java.util.Random;

/**
 * Latency samples drawn from known lognormal distributions, for tests that need runs with a known truth. A
 * request's first-token latency is lognormal; its total latency adds a lognormal generation time.
 *
 * @param ttftMedianMs median first-token latency
 * @param ttftSigma log-scale standard deviation of the first-token latency (p95/median = e^(1.645σ))
 * @param generationMedianMs median time from first token to the end of the answer
 * @param generationSigma log-scale standard deviation of that time
 * @param errorRate probability that a request fails (it then has neither latency)
 */
record SyntheticRuns(double ttftMedianMs, double ttftSigma, double generationMedianMs, double generationSigma,
    double errorRate) {

  /** How much slower a request of a changed system is than the same request before the change. */
  interface Slowdown {
    double factor(Random random);

    /** Every request the same factor slower: the whole distribution stretches, median and p95 alike. */
    static Slowdown uniform(double factor) {
      return random -> factor;
    }

    /** A share of the requests takes a slow path (a cache miss, throttling): the tail grows, the median barely. */
    static Slowdown slowPath(double share, double factor) {
      return random -> random.nextDouble() < share ? factor : 1;
    }
  }

  /** One intent's samples of {@code count} measured requests, every latency multiplied by {@code slowdown}. */
  IntentSamples draw(Random random, int count, double slowdown) {
    return draw(random, count, Slowdown.uniform(slowdown));
  }

  /** One intent's samples of {@code count} measured requests, each slowed down by its own factor. */
  IntentSamples draw(Random random, int count, Slowdown slowdown) {
    double[] ttft = new double[count];
    double[] total = new double[count];
    int errors = 0;
    for (int i = 0; i < count; i++) {
      if (random.nextDouble() < errorRate) {
        errors++;
        continue;
      }
      int successful = i - errors;
      double factor = slowdown.factor(random);
      ttft[successful] = factor * lognormal(random, ttftMedianMs, ttftSigma);
      total[successful] = ttft[successful] + factor * lognormal(random, generationMedianMs, generationSigma);
    }
    int successes = count - errors;
    return new IntentSamples(Arrays.copyOf(ttft, successes), Arrays.copyOf(total, successes), errors, count, 5);
  }

  private static double lognormal(Random random, double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }
}
