package com.mangaassist.benchmark.compare;

/**
 * What to do about a finding, given the runs before it.
 *
 * @param finding this run's finding
 * @param consecutiveRuns how many runs in a row, this one included, had this intent and metric at SEV-2 or worse
 *     (0 when this run did not)
 * @param action the action: a SEV-2 or SEV-1 pages or rolls back only once confirmed, otherwise it is logged
 */
public record Decision(Finding finding, int consecutiveRuns, Action action) {}
