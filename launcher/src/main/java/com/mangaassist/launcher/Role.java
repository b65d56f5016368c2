package com.mangaassist.launcher;

/** What one process runs. */
enum Role {
  DEV,
  ORCHESTRATOR,
  EMULATOR,
  PRECOMPUTE,
  BENCHMARK
}
