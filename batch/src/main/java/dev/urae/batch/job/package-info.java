/**
 * The {@code urae} Spring Batch job: ingest, then every {@link dev.urae.batch.job.PipelineStage}
 * as one step ({@link dev.urae.batch.job.StageTasklet}), the process lease, and
 * {@link dev.urae.batch.job.RunHistory}, what the job repository records of a run. Imports
 * {@code run}, {@code task}, {@code ingest}, {@code progress} and {@code config}; never a stage.
 */
package dev.urae.batch.job;
