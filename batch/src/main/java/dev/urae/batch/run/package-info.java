/**
 * Run values: a run's configuration, identity, store layout ({@link dev.urae.batch.run.RunLayout}
 * builds every key), stage names, status and summaries. The bottom of the house: imports only
 * {@code json}; services that act on runs live in {@code launch}.
 */
package dev.urae.batch.run;
