package dev.urae.tests.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.urae.tests.support.AwsEmulator;
import dev.urae.tests.support.BatchEnvironment;
import dev.urae.tests.support.BatchWorkerDriver;
import dev.urae.tests.support.FaultInjectingProxy;
import dev.urae.tests.support.UraeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The tiny FLUX.1 run once more the AWS way: the checkpoint from {@code urae model init --preset
 * tiny} uploaded to the emulator's S3 as {@code aws s3 sync} would, {@code urae run s3://...
 * --profile aws --model s3://...}, every stage's jobs submitted to moto's AWS Batch and run by
 * {@code urae worker} processes with the jobs' own commands and environments
 * ({@link BatchWorkerDriver}). The GPU stages share one model cache, as the tasks on one
 * instance share its instance store: the weights are staged once, then reused.
 */
class TinyFluxOnAwsEndToEndTest {
  private static final Path MANIFEST = Path.of("..", "examples", "flux-tiny", "prompts.jsonl").toAbsolutePath().normalize();
  @TempDir Path work;

  @Test
  void theTinyCheckpointInS3RunsEveryStageThroughAwsBatchAndIsStagedOnce() throws Exception {
    // given: the tiny checkpoint and the manifest in S3, a CPU and a GPU queue
    AwsEmulator emulator = AwsEmulator.get();
    assumeTrue(emulator.isMoto(), "AWS Batch emulation needs moto");
    UraeCli local = new UraeCli(work, Map.of(), List.of());
    Path checkpoint = work.resolve("tiny");
    UraeCli.Result init = local.run(Duration.ofMinutes(3), "model", "init", "--preset", "tiny", "--out", checkpoint.toString());
    assertThat(init.exitCode()).as(init.toString()).isZero();
    String bucket = AwsEmulator.uniqueName("tiny-flux");
    int files;
    try (S3Client s3 = emulator.clients().s3()) {
      s3.createBucket(b -> b.bucket(bucket));
      files = upload(s3, bucket, "models/tiny/", checkpoint);
      s3.putObject(b -> b.bucket(bucket).key("manifests/prompts.jsonl"), RequestBody.fromFile(MANIFEST));
    }
    BatchEnvironment cpu = BatchEnvironment.create(emulator);
    BatchEnvironment gpu = BatchEnvironment.create(emulator);
    Map<String, String> containers = new HashMap<>(emulator.environment());
    containers.putAll(cpu.stagePlacement(gpu));
    containers.put("URAE_STORE", "s3://" + bucket + "/urae/");
    Path modelCache = work.resolve("instance-store/urae-model-cache");
    Map<String, String> workerEnvironment = Map.of("URAE_MODELCACHE", modelCache.toString(), "LOGGING_LEVEL_DEV_URAE", "INFO");

    try (FaultInjectingProxy batchApi = new FaultInjectingProxy(emulator.endpoint());
         BatchWorkerDriver driver = new BatchWorkerDriver(batchApi, new UraeCli(work, containers, List.of()).with(workerEnvironment))) {
      Map<String, String> orchestrator = new HashMap<>(containers);
      orchestrator.put("AWS_ENDPOINT_URL_BATCH", batchApi.endpoint().toString());
      orchestrator.put("URAE_AWS_BATCH_POLLMIN", "200ms");
      orchestrator.put("URAE_AWS_BATCH_POLLMAX", "1s");
      UraeCli cli = new UraeCli(work, orchestrator, List.of("-Durae.task-retries=0"));

      // when
      long start = System.nanoTime();
      UraeCli.Result run = cli.run(Duration.ofMinutes(20), "run", "s3://" + bucket + "/manifests/prompts.jsonl",
          "--profile", "aws", "--data-dir", work.resolve("data").toString(), "--quick",
          "--set", "model=s3://" + bucket + "/models/tiny/");
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;

      // then: the run succeeded through AWS Batch, every worker too
      String workers = driver.runs().stream().map(r -> r.jobName() + "[" + r.index() + "]: " + r.result()).reduce("", String::concat);
      assertThat(run.exitCode()).as(run + "\n--- workers\n" + workers).isZero();
      assertThat(driver.runs()).allSatisfy(r -> assertThat(r.result().exitCode()).as(r.jobName() + "\n" + r.result()).isZero());
      Set<String> stages = new TreeSet<>();
      driver.runs().forEach(r -> stages.add(stageOf(r.jobName())));
      assertThat(stages).contains("teacher", "cache", "adapt", "render", "report");

      // and the weights were copied once, by the first GPU task, and found in place by the others
      List<String> staged = driver.runs().stream().flatMap(r -> r.result().stderr().lines())
          .filter(l -> l.contains("ModelCache") && l.contains("staged s3://" + bucket + "/models/tiny/")).toList();
      assertThat(staged).as(workers).hasSize(1);
      assertThat(staged.get(0)).contains(files + " files");
      try (Stream<Path> entries = Files.list(modelCache)) {
        assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".complete"))).hasSize(1);
      }

      // and the GPU stages' jobs went to the GPU queue, the CPU-only ones to the default (CPU) queue
      try (BatchClient client = emulator.clients().batch()) {
        assertThat(stagesOn(client, gpu.jobQueue())).containsExactlyInAnyOrder("cache", "adapt", "render");
        assertThat(stagesOn(client, cpu.jobQueue())).containsExactlyInAnyOrder("teacher", "report");
      }

      // and the outputs are in S3
      String runId = run.stdout().lines().filter(l -> l.startsWith("run ")).findFirst().orElseThrow().split(" ")[1];
      try (S3Client s3 = emulator.clients().s3()) {
        List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("urae/runs/" + runId + "/")).contents().stream()
            .map(o -> o.key().substring(("urae/runs/" + runId + "/").length())).toList();
        assertThat(keys).contains("adapt/adapter.safetensors", "report/index.html")
            .anyMatch(k -> k.startsWith("render/") && k.endsWith(".png"))
            .anyMatch(k -> k.startsWith("cache/"));
      }
      System.out.println("[tiny-flux-aws] wall " + seconds + " s, " + driver.runs().size() + " worker processes, "
          + files + " checkpoint files staged once; " + String.join("; ", run.stderr().lines().filter(l -> l.contains("] done:")).toList()));
    }
  }

  private static List<String> stagesOn(BatchClient client, String queue) {
    return client.listJobs(b -> b.jobQueue(queue)).jobSummaryList().stream().map(j -> stageOf(j.jobName())).toList();
  }

  /** The stage in a job name {@code urae-<run>-<stage>-<suffix>}. */
  private static String stageOf(String jobName) {
    return jobName.replaceFirst("^urae-.*?-(teacher|cache|adapt|render|report)-.*$", "$1");
  }

  /** Uploads every file under {@code folder} as {@code aws s3 sync} would (single PUTs for small files). */
  private static int upload(S3Client s3, String bucket, String prefix, Path folder) throws Exception {
    int count = 0;
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String key = prefix + folder.relativize(file).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        count++;
      }
    }
    return count;
  }
}
