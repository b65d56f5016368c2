/**
 * {@code bench compare}: benchmark run files, their comparison per intent and metric, the severity of the seed
 * design's table (significance and a practical tolerance, Kayenta-style) and the persistence a page or rollback
 * needs. docs/BENCHMARKING.md explains the choices and their measured false-alarm rate and power.
 */
package com.mangaassist.benchmark.compare;
