package dev.urae.infra.awsbatch;

import dev.urae.infra.exec.TaskRef;
import dev.urae.infra.store.ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.batch.model.ContainerOverrides;
import software.amazon.awssdk.services.batch.model.EvaluateOnExit;
import software.amazon.awssdk.services.batch.model.KeyValuePair;
import software.amazon.awssdk.services.batch.model.RetryAction;
import software.amazon.awssdk.services.batch.model.RetryStrategy;
import software.amazon.awssdk.services.batch.model.SubmitJobRequest;

/**
 * Submits the tasks of one run and stage as one job: an array job whose children read their task
 * from a task list written first, or a single job for one task. The job carries the worker
 * command, the stage's queue, definition and timeout, the run's tags, and a retry strategy under
 * which AWS Batch retries lost hosts and failed image pulls only.
 */
final class BatchJobSubmitter {
  private static final Logger LOG = LoggerFactory.getLogger(BatchJobSubmitter.class);
  /** Status reasons AWS Batch uses for lost hosts (spot reclaims, scale-in): retried by Batch. */
  static final String INFRASTRUCTURE_LOSS = "Host EC2*";
  /** Status reasons of a container image that could not be pulled or started in time: retried by Batch. */
  static final String IMAGE_PULL_FAILURE = "CannotPullContainerError*";
  static final String DOCKER_TIMEOUT = "DockerTimeoutError*";

  private final BatchApi api;
  private final AwsBatchConfig config;
  private final ObjectStore store;
  private final TaskListKeys taskLists;

  BatchJobSubmitter(BatchApi api, AwsBatchConfig config, ObjectStore store, TaskListKeys taskLists) {
    this.api = api;
    this.config = config;
    this.store = store;
    this.taskLists = taskLists;
  }

  /** Submits {@code tasks} (one run and stage, at most {@code array-size-max}) as one job. */
  TrackedJob submit(List<TaskRef> tasks) throws InterruptedException {
    TaskRef first = tasks.get(0);
    String runId = first.runId();
    String stage = first.stage();
    String jobName = JobNames.next(runId, stage);
    boolean array = tasks.size() > 1;
    List<String> command = new ArrayList<>(config.workerCommand());
    List<KeyValuePair> environment = new ArrayList<>(List.of(
        env("URAE_RUN_ID", runId), env("URAE_STAGE", stage), env("URAE_STORE", store.root().toString())));
    if (array) {
      URI list;
      try {
        list = ArrayTaskList.write(store, taskLists.key(runId, stage, jobName), tasks.stream().map(TaskRef::spec).toList());
      } catch (IOException e) {
        throw new IllegalStateException("could not write the task list for " + jobName + ": " + e.getMessage(), e);
      }
      command.addAll(List.of("--task-list", list.toString()));
      environment.add(env(ArrayTaskList.TASK_LIST_VARIABLE, list.toString()));
    } else {
      command.addAll(List.of("--spec", first.spec().toString()));
      environment.add(env(ArrayTaskList.TASK_SPEC_VARIABLE, first.spec().toString()));
    }
    SubmitJobRequest.Builder request = SubmitJobRequest.builder()
        .jobName(jobName)
        .jobQueue(config.jobQueue(stage))
        .jobDefinition(config.jobDefinition(stage))
        .containerOverrides(ContainerOverrides.builder().command(command).environment(environment).build())
        .retryStrategy(retryStrategy())
        .timeout(t -> t.attemptDurationSeconds((int) Math.min(Integer.MAX_VALUE, config.timeout(stage).toSeconds())))
        .tags(Map.of("urae:run", runId, "urae:stage", stage))
        .propagateTags(true);
    if (array) request.arrayProperties(a -> a.size(tasks.size()));
    String jobId = api.submit(request.build()).jobId();
    LOG.info("submitted {} job {} ({}) for {} task(s) of {}/{}", array ? "array" : "single", jobName, jobId, tasks.size(), runId, stage);
    return new TrackedJob(jobId, jobName, runId, stage, tasks, array);
  }

  /**
   * AWS Batch retries lost hosts and images it could not pull (a registry or network hiccup on a
   * fresh instance); everything else is the stage's to retry. The Terraform job definitions carry
   * the same rules.
   */
  private RetryStrategy retryStrategy() {
    return RetryStrategy.builder()
        .attempts(config.attempts())
        .evaluateOnExit(
            EvaluateOnExit.builder().onStatusReason(INFRASTRUCTURE_LOSS).action(RetryAction.RETRY).build(),
            EvaluateOnExit.builder().onStatusReason(IMAGE_PULL_FAILURE).action(RetryAction.RETRY).build(),
            EvaluateOnExit.builder().onStatusReason(DOCKER_TIMEOUT).action(RetryAction.RETRY).build(),
            EvaluateOnExit.builder().onReason("*").action(RetryAction.EXIT).build())
        .build();
  }

  private static KeyValuePair env(String name, String value) {
    return KeyValuePair.builder().name(name).value(value).build();
  }
}
