package dev.urae.infra.awsbatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.urae.infra.exec.ComputeAttempt;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.batch.model.AttemptContainerDetail;
import software.amazon.awssdk.services.batch.model.AttemptDetail;
import software.amazon.awssdk.services.batch.model.CRType;
import software.amazon.awssdk.services.batch.model.ComputeEnvironmentDetail;
import software.amazon.awssdk.services.batch.model.ContainerDetail;
import software.amazon.awssdk.services.batch.model.JobDetail;
import software.amazon.awssdk.services.batch.model.ResourceRequirement;
import software.amazon.awssdk.services.batch.model.ResourceType;

/**
 * Attempts as real AWS Batch describes them (moto records attempts too, but runs them in no time
 * and names no ECS cluster in the task ARN, so hours and Spot vs on-demand are shown here on
 * DescribeJobs responses shaped like AWS's).
 */
class JobAttemptsTest {
  private static final long T0 = 1_764_160_000_000L;
  private static final long HOUR = 3_600_000L;
  private static final String ACCOUNT = "arn:aws:ecs:us-east-1:123456789012:";

  private static final ComputeEnvironmentDetail GPU_SPOT = environment("urae-gpu-spot", CRType.SPOT, "AWSBatch-urae-gpu-spot-1a2b");
  private static final ComputeEnvironmentDetail GPU_ON_DEMAND = environment("urae-gpu-on-demand", CRType.EC2, "AWSBatch-urae-gpu-od-3c4d");
  private static final ComputeEnvironmentDetail FARGATE = ComputeEnvironmentDetail.builder().computeEnvironmentName("urae-fargate")
      .ecsClusterArn(ACCOUNT + "cluster/AWSBatch-urae-fargate-5e6f")
      .computeResources(r -> r.type(CRType.FARGATE)).build();

  @Test
  void eachChildsAttemptsCountWithTheResourcesItReservedAndTheCapacityItsClusterBelongsTo() {
    // given: an adapt array of two children on the GPU queue (Spot first, then on-demand);
    // child 0 was reclaimed on Spot after 1 h and ran 2 h on-demand, child 1 ran 1.5 h on Spot
    JobDetail child0 = gpuChild("job-1:0",
        attempt(T0, T0 + HOUR, "AWSBatch-urae-gpu-spot-1a2b"),
        attempt(T0 + HOUR, T0 + 3 * HOUR, "AWSBatch-urae-gpu-od-3c4d"));
    JobDetail child1 = gpuChild("job-1:1", attempt(T0, T0 + HOUR + HOUR / 2, "AWSBatch-urae-gpu-spot-1a2b"));

    // when
    List<ComputeAttempt> attempts = JobAttempts.of(List.of(child0, child1), List.of(GPU_SPOT, GPU_ON_DEMAND), InstancePrices.listPrices());

    // then
    assertThat(attempts).extracting(ComputeAttempt::jobId, ComputeAttempt::capacity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("job-1:0", "SPOT"),
            org.assertj.core.groups.Tuple.tuple("job-1:0", "ON_DEMAND"),
            org.assertj.core.groups.Tuple.tuple("job-1:1", "SPOT"));
    assertThat(attempts.stream().mapToDouble(ComputeAttempt::gpuHours).sum()).isCloseTo(4.5, within(1e-9));
    assertThat(attempts.stream().mapToDouble(ComputeAttempt::vcpuHours).sum()).isCloseTo(4.5 * 8, within(1e-9));
    // 8 vCPUs, 60 GiB, 1 GPU fits g6e.2xlarge (64 GiB) as its cheapest allowed home, whole instance:
    // Spot hours at half of 2.24208 USD, on-demand hours at the full price
    assertThat(attempts).extracting(ComputeAttempt::instanceType).containsOnly("g6e.2xlarge");
    assertThat(attempts.get(0).estimatedUsd()).isCloseTo(2.24208 * 0.5, within(1e-9));
    assertThat(attempts.get(1).estimatedUsd()).isCloseTo(2.24208 * 2, within(1e-9));
    assertThat(attempts.stream().mapToDouble(ComputeAttempt::estimatedUsd).sum()).isCloseTo(2.24208 * (0.5 + 2 + 0.75), within(1e-9));
  }

  @Test
  void anAttemptWhoseClusterIsNotNamedIsUnknownOnAMixedQueueAndPricedAsOnDemand() {
    // given: an attempt whose task ARN names no cluster (old ARN format, or the emulator's)
    JobDetail child = gpuChild("job-2:0", AttemptDetail.builder().startedAt(T0).stoppedAt(T0 + HOUR)
        .container(AttemptContainerDetail.builder().taskArn(ACCOUNT + "task/0123456789abcdef").build()).build());

    // when
    ComputeAttempt attempt = JobAttempts.of(List.of(child), List.of(GPU_SPOT, GPU_ON_DEMAND), InstancePrices.listPrices()).get(0);

    // then
    assertThat(attempt.capacity()).isEqualTo("UNKNOWN");
    assertThat(attempt.estimatedUsd()).isCloseTo(2.24208, within(1e-9));
  }

  @Test
  void fargateIsPricedPerVcpuAndGibAndAQueueOfOneKindNeedsNoClusterName() {
    // given: a report job, 1 vCPU and 2 GiB, 30 minutes on the Fargate queue
    JobDetail report = JobDetail.builder().jobId("job-3")
        .container(ContainerDetail.builder().resourceRequirements(
            requirement(ResourceType.VCPU, "1"), requirement(ResourceType.MEMORY, "2048")).build())
        .attempts(AttemptDetail.builder().startedAt(T0).stoppedAt(T0 + HOUR / 2).build()).build();

    // when
    ComputeAttempt attempt = JobAttempts.of(List.of(report), List.of(FARGATE), InstancePrices.listPrices()).get(0);

    // then
    assertThat(attempt.capacity()).isEqualTo("FARGATE");
    assertThat(attempt.gpuHours()).isZero();
    assertThat(attempt.vcpuHours()).isCloseTo(0.5, within(1e-9));
    assertThat(attempt.estimatedUsd()).isCloseTo(0.5 * (0.04048 + 2 * 0.004445), within(1e-9));
    assertThat(attempt.instanceType()).isNull();
  }

  @Test
  void aJobNoAllowedPricedTypeHoldsIsRecordedWithoutAPriceAndOneThatNeverStartedNotAtAll() {
    // given: 8 GPUs where only g6e.xlarge is allowed; and a child terminated while RUNNABLE
    ComputeEnvironmentDetail small = environment("urae-small", CRType.EC2, "AWSBatch-small", "g6e.xlarge");
    JobDetail huge = JobDetail.builder().jobId("job-4:0")
        .container(ContainerDetail.builder().resourceRequirements(requirement(ResourceType.VCPU, "96"),
            requirement(ResourceType.MEMORY, "1000000"), requirement(ResourceType.GPU, "8")).build())
        .attempts(AttemptDetail.builder().startedAt(T0).stoppedAt(T0 + HOUR).build()).build();
    JobDetail neverRan = gpuChild("job-4:1");

    // when
    List<ComputeAttempt> attempts = JobAttempts.of(List.of(huge, neverRan), List.of(small), InstancePrices.listPrices());

    // then
    assertThat(attempts).singleElement().satisfies(a -> {
      assertThat(a.gpuHours()).isCloseTo(8, within(1e-9));
      assertThat(a.estimatedUsd()).isNull();
    });
  }

  @Test
  void overriddenPricesAreUsedAndAnUnknownTypeIsRefusedByItsKey() {
    // given
    InstancePrices prices = InstancePrices.builder().optInstancePrice("g6e.2xlarge", 1.0).optSpotFraction(0.3).build();
    JobDetail child = gpuChild("job-5:0", attempt(T0, T0 + 2 * HOUR, "AWSBatch-urae-gpu-spot-1a2b"));

    // when
    ComputeAttempt attempt = JobAttempts.of(List.of(child), List.of(GPU_SPOT, GPU_ON_DEMAND), prices).get(0);

    // then
    assertThat(attempt.estimatedUsd()).isCloseTo(2 * 1.0 * 0.3, within(1e-9));
    assertThat(prices.label()).contains("2025-06").contains("overrides").contains("Spot at 30%");
    assertThatThrownBy(() -> InstancePrices.builder().optInstancePrice("x2.huge", 3.0))
        .hasMessageContaining("urae.cost.instance-price.x2.huge").hasMessageContaining("g6e.2xlarge");
    assertThatThrownBy(() -> InstancePrices.builder().optSpotFraction(1.5)).hasMessageContaining("urae.cost.spot-fraction");
  }

  private static JobDetail gpuChild(String id, AttemptDetail... attempts) {
    return JobDetail.builder().jobId(id)
        .container(ContainerDetail.builder().resourceRequirements(requirement(ResourceType.VCPU, "8"),
            requirement(ResourceType.MEMORY, "61440"), requirement(ResourceType.GPU, "1")).build())
        .attempts(attempts).build();
  }

  private static AttemptDetail attempt(long started, long stopped, String cluster) {
    return AttemptDetail.builder().startedAt(started).stoppedAt(stopped)
        .container(AttemptContainerDetail.builder().taskArn(ACCOUNT + "task/" + cluster + "/0123456789abcdef").build()).build();
  }

  private static ResourceRequirement requirement(ResourceType type, String value) {
    return ResourceRequirement.builder().type(type).value(value).build();
  }

  private static ComputeEnvironmentDetail environment(String name, CRType type, String cluster, String... instanceTypes) {
    List<String> types = instanceTypes.length == 0 ? List.of("g6e.xlarge", "g6e.2xlarge", "g6e.4xlarge", "p4de.24xlarge") : List.of(instanceTypes);
    return ComputeEnvironmentDetail.builder().computeEnvironmentName(name).ecsClusterArn(ACCOUNT + "cluster/" + cluster)
        .computeResources(r -> r.type(type).instanceTypes(types)).build();
  }
}
