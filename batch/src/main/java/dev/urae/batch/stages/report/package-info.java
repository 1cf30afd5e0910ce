/**
 * The report stage: one task that gathers stage timings, the loss curve, metrics and renders into
 * the run report. Imports {@code stages}, {@code report} and below; no other stage.
 */
package dev.urae.batch.stages.report;
