package dev.urae.batch.run;

import java.time.Duration;
import java.time.LocalDateTime;

/** One run as {@code urae list} shows it. */
public record RunSummary(
    String runId, String status, String manifest, LocalDateTime started, Duration elapsed, String failure,
    RunConfig config) {}
