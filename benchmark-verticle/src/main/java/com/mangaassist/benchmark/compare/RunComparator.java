package com.mangaassist.benchmark.compare;

import com.mangaassist.benchmark.stats.BinomialTail;
import com.mangaassist.benchmark.stats.FisherExact;
import com.mangaassist.benchmark.stats.PercentileBootstrap;
import java.util.ArrayList;
import java.util.List;

/** Compares a new run with a base run, intent by intent and metric by metric, and judges each comparison. */
public final class RunComparator {

  private final RegressionSettings settings;
  private final PercentileBootstrap bootstrap;
  private final SeverityClassifier classifier;

  public RunComparator(RegressionSettings settings) {
    this.settings = settings;
    this.bootstrap = new PercentileBootstrap(settings.bootstrapResamples(), settings.bootstrapSeed());
    this.classifier = new SeverityClassifier(settings);
  }

  /** Every intent present in both runs, in the base run's order, each metric in turn. */
  public RunComparison compare(RunFile base, RunFile newer) {
    List<MetricComparison> comparisons = new ArrayList<>();
    List<String> unmatched = new ArrayList<>();
    base.intents().forEach((intent, baseSamples) -> {
      IntentSamples newSamples = newer.intents().get(intent);
      if (newSamples == null) {
        unmatched.add(intent);
        return;
      }
      for (Metric metric : Metric.values()) {
        comparisons.add(compare(intent, metric, baseSamples, newSamples));
      }
    });
    newer.intents().keySet().stream().filter(intent -> !base.intents().containsKey(intent)).forEach(unmatched::add);
    return new RunComparison(comparisons, unmatched);
  }

  public MetricComparison compare(String intent, Metric metric, IntentSamples base, IntentSamples newer) {
    double[] newSamples = newer.samples(metric);
    LatencyStatistics latency = LatencyStatistics.of(newSamples, base.samples(metric), bootstrap,
        settings.confidence());
    double errorP = FisherExact.upperTail(newer.errors(), newer.count(), base.errors(), base.count());
    double overTarget = Double.NaN;
    double targetP = Double.NaN;
    if (metric == Metric.TTFT_MS && newSamples.length > 0) {
      double target = settings.firstTokenTargetMs(intent);
      overTarget = latency.p95New() / target;
      targetP = exceedsTargetP(newSamples, target * (1 + settings.tolerance()));
    }
    RegressionEvidence evidence = new RegressionEvidence(latency.p95Ratio().estimate(), latency.p95Ratio().lower(),
        latency.tailP(), latency.mannWhitney().pGreater(),
        latency.hodgesLehmann().lower() / latency.medianBase().estimate(), overTarget, targetP, newer.errorRate(),
        errorP);
    return new MetricComparison(intent, metric, latency, base.errorRate(), newer.errorRate(), errorP,
        classifier.classify(evidence));
  }

  /** P-value of "the p95 is above {@code threshold}": if it were not, at most 5 % of requests would exceed it. */
  private static double exceedsTargetP(double[] samples, double threshold) {
    int exceeding = 0;
    for (double sample : samples) {
      if (sample > threshold) {
        exceeding++;
      }
    }
    return BinomialTail.upperTail(exceeding, samples.length, 1 - LatencyStatistics.TAIL_QUANTILE);
  }
}
