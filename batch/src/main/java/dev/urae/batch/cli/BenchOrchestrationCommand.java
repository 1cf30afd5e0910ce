package dev.urae.batch.cli;

import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.AwsSettings;
import dev.urae.infra.awsbatch.bench.OrchestrationBenchmark;
import dev.urae.infra.s3.S3ObjectStore;
import dev.urae.infra.store.ObjectStore;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code urae bench orchestration}: one stage attempt of N shards through the AWS Batch executor
 * against an emulator; prints API calls and orchestrator time. Refuses endpoints that are not on
 * this machine: it submits 10,000-child array jobs.
 */
@Command(name = "orchestration", mixinStandardHelpOptions = true,
    description = {"AWS Batch orchestration overhead for N shards against an emulator (AWS_ENDPOINT_URL on loopback):",
        "SubmitJob / DescribeJobs / ListJobs calls and orchestrator wall time.",
        "The tests run it on moto: mvn -pl tests test -Dtest=OrchestrationBenchTest -Durae.bench=true"})
public final class BenchOrchestrationCommand implements Callable<Integer> {
  @Option(names = "--queue", required = true, description = "An existing job queue in the emulator.")
  String queue;

  @Option(names = "--job-definition", required = true, description = "An existing job definition in the emulator.")
  String jobDefinition;

  @Option(names = "--store", required = true, paramLabel = "s3://BUCKET/PREFIX/", description = "Where task lists go (an existing bucket).")
  String store;

  @Option(names = "--shards", defaultValue = "10000", description = "Tasks in the stage (default ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--poll-min", defaultValue = "200", description = "First poll interval in ms (default ${DEFAULT-VALUE}).")
  long pollMinMillis;

  @Override
  public Integer call() throws Exception {
    AwsSettings settings = AwsSettings.fromEnvironment();
    URI endpoint = settings.endpointFor("Batch").orElseThrow(() -> new IllegalArgumentException(
        "set AWS_ENDPOINT_URL to an emulator (moto_server, LocalStack) on this machine: this benchmark submits large array jobs"));
    String host = endpoint.getHost();
    if (host == null || !(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"))) {
      throw new IllegalArgumentException("AWS_ENDPOINT_URL " + endpoint + " is not on this machine; point it at a local emulator");
    }
    AwsClientFactory clients = AwsClientFactory.create(settings);
    try (ObjectStore objects = S3ObjectStore.open(URI.create(store), clients)) {
      OrchestrationBenchmark.Result result = OrchestrationBenchmark.run(System.out, clients, queue, jobDefinition,
          objects, shards, Duration.ofMillis(pollMinMillis));
      return result.meetsTargets() ? 0 : 1;
    }
  }
}
