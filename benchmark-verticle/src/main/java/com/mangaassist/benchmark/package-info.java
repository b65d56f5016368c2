/**
 * Measuring the chat path from the outside: open-loop load generation, synthetic replay per intent, statistics
 * that compare runs, regression detection with alerts and rollback.
 */
package com.mangaassist.benchmark;
