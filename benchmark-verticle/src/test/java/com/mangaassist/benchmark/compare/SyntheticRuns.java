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

  /** One intent's samples of {@code count} measured requests, every latency multiplied by {@code slowdown}. */
  IntentSamples draw(Random random, int count, double slowdown) {
    double[] ttft = new double[count];
    double[] total = new double[count];
    int errors = 0;
    for (int i = 0; i < count; i++) {
      if (random.nextDouble() < errorRate) {
        errors++;
        continue;
      }
      int successful = i - errors;
      ttft[successful] = slowdown * lognormal(random, ttftMedianMs, ttftSigma);
      total[successful] = ttft[successful] + slowdown * lognormal(random, generationMedianMs, generationSigma);
    }
    int successes = count - errors;
    return new IntentSamples(Arrays.copyOf(ttft, successes), Arrays.copyOf(total, successes),
        errors, count, 5);
  }

  private static double lognormal(Random random, double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }
}
