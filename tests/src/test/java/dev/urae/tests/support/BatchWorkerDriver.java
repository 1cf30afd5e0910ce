package dev.urae.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays AWS Batch's compute for moto, which runs no containers. Every job the orchestrator
 * submits (seen as SubmitJob requests through a {@link FaultInjectingProxy} in front of moto's
 * Batch API) is run here as {@code urae worker} processes with the job's command and
 * environment overrides, one per array child ({@code AWS_BATCH_JOB_ARRAY_INDEX}), one after
 * another (the machine is small). Until a job's workers have ended, DescribeJobs answers RUNNING
 * for it; then moto's own answer (SUCCEEDED) goes through, and the stage checks the markers the
 * workers wrote, exactly as on AWS.
 */
public final class BatchWorkerDriver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One worker process: the job, its array index (-1 for a single job) and how it ended. */
  public record WorkerRun(String jobName, int index, UraeCli.Result result) {}

  private final FaultInjectingProxy batch;
  private final UraeCli workers;
  private final Set<String> finished = ConcurrentHashMap.newKeySet();
  private final List<WorkerRun> runs = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  /**
   * @param batch   the proxy the orchestrator reaches AWS Batch through
   * @param workers runs {@code urae} with the environment every container gets (store, endpoints, cache)
   */
  public BatchWorkerDriver(FaultInjectingProxy batch, UraeCli workers) {
    this.batch = batch;
    this.workers = workers;
    batch.rewrite("describejobs", this::runningUntilWorkersEnded);
    this.thread = new Thread(this::drive, "batch-worker-driver");
    thread.setDaemon(true);
    thread.start();
  }

  /** Every worker run so far, in order. */
  public List<WorkerRun> runs() {
    return List.copyOf(runs);
  }

  private void drive() {
    int seen = 0;
    while (!stopped) {
      List<String> submitted = batch.requests("submitjob");
      if (submitted.size() == seen) {
        sleep();
        continue;
      }
      for (String request : submitted.subList(seen, submitted.size())) runJob(request);
      seen = submitted.size();
    }
  }

  private void runJob(String request) {
    try {
      JsonNode job = JSON.readTree(request);
      String name = job.path("jobName").asText();
      List<String> command = new ArrayList<>();
      job.path("containerOverrides").path("command").forEach(c -> command.add(c.asText()));
      Map<String, String> environment = new HashMap<>();
      job.path("containerOverrides").path("environment").forEach(e -> environment.put(e.path("name").asText(), e.path("value").asText()));
      int size = job.path("arrayProperties").path("size").asInt(0);
      String[] args = command.subList(1, command.size()).toArray(String[]::new); // drop "urae"
      for (int index = size == 0 ? -1 : 0; index < Math.max(size, 0); index++) {
        Map<String, String> child = new HashMap<>(environment);
        if (index >= 0) child.put("AWS_BATCH_JOB_ARRAY_INDEX", Integer.toString(index));
        runs.add(new WorkerRun(name, index, workers.with(child).run(Duration.ofMinutes(10), args)));
      }
      finished.add(name);
    } catch (Exception e) {
      throw new IllegalStateException("could not run the workers of " + request, e);
    }
  }

  private String runningUntilWorkersEnded(String body) {
    try {
      JsonNode answer = JSON.readTree(body);
      for (JsonNode job : answer.path("jobs")) {
        if (!finished.contains(job.path("jobName").asText())) ((ObjectNode) job).put("status", "RUNNING");
      }
      return JSON.writeValueAsString(answer);
    } catch (Exception e) {
      return body;
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(Duration.ofSeconds(10).toMillis());
  }
}
