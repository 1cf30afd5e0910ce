/**
 * Runs a stage's tasks on AWS Batch. One stage attempt becomes one array job (or several, past
 * 10,000 tasks; a single job for a one-task stage). Each array child finds its task by reading
 * line {@code AWS_BATCH_JOB_ARRAY_INDEX} of a task list the orchestrator writes to the store
 * ({@link dev.urae.infra.awsbatch.ArrayTaskList}, at keys the caller's layout gives). Roles:
 * {@link dev.urae.infra.awsbatch.AwsBatchExecutor} (lifecycle: submit, wait, cancel, close),
 * {@link dev.urae.infra.awsbatch.BatchJobSubmitter} (a job from a stage attempt),
 * {@link dev.urae.infra.awsbatch.BatchJobMonitor} (one poller for every live job, 100 per
 * DescribeJobs), {@link dev.urae.infra.awsbatch.ArrayChildFailures} (which children failed and
 * why), {@link dev.urae.infra.awsbatch.BatchApi} (throttled, retried, batched calls),
 * {@link dev.urae.infra.awsbatch.AwsBatchConfig} (queues, definitions, timeouts per stage),
 * {@link dev.urae.infra.awsbatch.FailureReason} (what {@code urae status} says about a failed job).
 */
package dev.urae.infra.awsbatch;
