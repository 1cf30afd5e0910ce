package dev.urae.tests.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.tests.support.AwsEmulator;
import dev.urae.tests.terraform.PlannedResources.Planned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/complete}, the configuration for a real account, planned with its provider
 * pointed at the emulator (an {@code *_override.tf} file, so the example itself is unchanged):
 * private subnets with the VPC endpoints, the FLUX instance types that fit every stage, the
 * Budgets alarm. A second configuration asks for a stage larger than any allowed instance type
 * and must be refused at plan.
 */
class CompleteExamplePlanTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TerraformCli terraform;
  private static TerraformWorkspace workspace;
  private static AwsEmulator emulator;
  private static PlannedResources completePlan;

  @BeforeAll
  static void findTerraform() {
    terraform = TerraformCli.find().orElse(null);
    assumeTrue(terraform != null, "terraform is not on the PATH: plan checks skipped");
    workspace = TerraformWorkspace.shared(terraform);
    emulator = AwsEmulator.get();
  }

  @Test
  void completeExamplePlansInPrivateSubnetsWithEndpointsAndABudget() throws Exception {
    // given, when
    PlannedResources plan = completeExamplePlan();

    // then every API the jobs call is reachable without a NAT gateway
    List<String> services = plan.ofType("aws_vpc_endpoint").stream()
        .map(e -> e.values().path("service_name").asText().replace("com.amazonaws.us-east-1.", ""))
        .toList();
    assertThat(services).containsExactlyInAnyOrder("s3", "ecr.api", "ecr.dkr", "ecs", "ecs-agent", "ecs-telemetry",
        "logs", "secretsmanager", "sqs", "batch");
    for (Planned endpoint : plan.ofType("aws_vpc_endpoint")) {
      if (endpoint.values().path("vpc_endpoint_type").asText().equals("Interface")) {
        assertThat(endpoint.values().path("private_dns_enabled").asBoolean()).as(endpoint.address()).isTrue();
      }
    }

    // and the GPU pool's environments allow the L40S instances cache and render fit on
    JsonNode spot = plan.one("aws_batch_compute_environment", "gpu_spot", "gpu").values().at("/compute_resources/0/instance_type");
    assertThat(spot.toString()).contains("g6e.2xlarge");

    // and the budget watches the environment's cost allocation tag
    JsonNode budget = plan.one("aws_budgets_budget", "this").values();
    assertThat(budget.path("limit_amount").asText()).isEqualTo("500.00");
    assertThat(budget.at("/cost_filter/0/values/0").asText()).isEqualTo("user:urae:environment$urae");
    assertThat(budget.path("notification").size()).isEqualTo(3);
  }

  @Test
  void theAdaptStageGoesToAQueueOfOnly80GbGpusWhileCacheAndRenderKeepTheL40sQueue() throws Exception {
    // given the complete example, planned
    PlannedResources plan = completeExamplePlan();

    // when the queue of each stage is followed to the instance types of its compute environments
    Map<String, Set<String>> typesByStage = new TreeMap<>();
    for (String stage : List.of("cache", "adapt", "render")) {
      typesByStage.put(stage, instanceTypesOfStageQueue(plan, stage));
    }

    // then adapt (4K memory plan: 69.4 GiB on one GPU) only lands on 80 GB GPUs
    assertThat(typesByStage.get("adapt")).isNotEmpty()
        .allSatisfy(type -> assertThat(GPU_MEMORY_GB.get(type)).as(type).isGreaterThanOrEqualTo(80));
    // and cache and render stay on the cheaper 48 GB L40S queue
    for (String stage : List.of("cache", "render")) {
      assertThat(typesByStage.get(stage)).as(stage).isNotEmpty()
          .allSatisfy(type -> assertThat(GPU_MEMORY_GB.get(type)).as(type).isEqualTo(48));
    }
  }

  @Test
  void aStageNeedingMoreGpuMemoryThanItsPoolOffersIsRefusedAtPlan() throws Exception {
    // given adapt, needing an 80 GB GPU, left on a pool that also allows g6e (48 GB L40S)
    String module = """
        module "urae" {
          source             = "../../modules/urae"
          name               = "urae-small-gpu"
          vpc_id             = "vpc-0123456789abcdef0"
          subnet_ids         = ["subnet-aaa", "subnet-bbb"]
          gpu_instance_types = ["g6e.2xlarge", "p4de.24xlarge"]
          stages = {
            adapt = { vcpus = 8, memory_mib = 60000, min_gpu_memory_gib = 80 }
          }
        }
        """;

    // when
    TerraformCli.Result result = planOf("small-gpu", module);

    // then the plan fails naming the stage, its need and the type too small for it
    assertThat(result.exitCode()).isNotZero();
    assertThat(oneLine(result.errors())).contains("stages.adapt needs 80 GB of GPU memory")
        .contains("g6e.2xlarge (L40S 48 GB)")
        .doesNotContain("p4de.24xlarge (");
  }

  @Test
  void aStageLargerThanEveryAllowedInstanceTypeIsRefusedAtPlan() throws Exception {
    // given adapt asking 60,000 MiB on instance types of at most 32 GiB (the old complete example)
    String module = """
        module "urae" {
          source             = "../../modules/urae"
          name               = "urae-oversized"
          vpc_id             = "vpc-0123456789abcdef0"
          subnet_ids         = ["subnet-aaa", "subnet-bbb"]
          gpu_instance_types = ["g5.xlarge", "g5.2xlarge", "g6.xlarge", "g6.2xlarge"]
          stages = {
            cache   = { vcpus = 4, memory_mib = 15000 }
            adapt   = { vcpus = 8, memory_mib = 60000 }
          }
        }
        """;

    // when
    TerraformCli.Result result = planOf("oversized-stage", module);

    // then the plan fails and says which stage, what it asks and what the largest type offers
    assertThat(result.exitCode()).isNotZero();
    String errors = oneLine(result.errors());
    assertThat(errors).contains("stages.adapt asks for 8 vCPUs, 60000 MiB and 1 GPUs")
        .contains("the largest has 8 vCPUs, 31129 MiB allocatable, 1 GPUs")
        .doesNotContain("stages.cache");
  }

  @Test
  void anInstanceTypeTheModuleDoesNotKnowIsRefusedAtPlan() throws IOException {
    // given
    String module = """
        module "urae" {
          source             = "../../modules/urae"
          name               = "urae-unknown"
          vpc_id             = "vpc-0123456789abcdef0"
          subnet_ids         = ["subnet-aaa", "subnet-bbb"]
          gpu_instance_types = ["g6e.2xlarge", "g7.mega"]
        }
        """;

    // when
    TerraformCli.Result result = planOf("unknown-instance-type", module);

    // then
    assertThat(result.exitCode()).isNotZero();
    assertThat(oneLine(result.errors())).contains("g7.mega unknown to the module");
  }

  @Test
  void aGpuEntryForTheCpuOnlyTeacherIsRefusedAtPlan() throws IOException {
    // given teacher listed among the GPU stages
    String module = """
        module "urae" {
          source     = "../../modules/urae"
          name       = "urae-teacher-gpu"
          vpc_id     = "vpc-0123456789abcdef0"
          subnet_ids = ["subnet-aaa", "subnet-bbb"]
          stages = {
            teacher = { vcpus = 4, memory_mib = 15000 }
          }
        }
        """;

    // when
    TerraformCli.Result result = planOf("teacher-on-gpu", module);

    // then
    assertThat(result.exitCode()).isNotZero();
    assertThat(oneLine(result.errors())).contains("stages may only name cache, adapt and render");
  }

  /** GPU memory (GB) per GPU of the instance types the complete example allows (EC2 instance type pages). */
  private static final Map<String, Integer> GPU_MEMORY_GB = Map.of(
      "g6e.xlarge", 48, "g6e.2xlarge", 48, "g6e.4xlarge", 48,
      "p4de.24xlarge", 80, "p5.48xlarge", 80);

  /**
   * The instance types of the compute environments behind the queue the stage's jobs are
   * submitted to (the module's {@code stage_jobs} output). A queue and its environments share
   * their pool's key; the environments' ARNs in the queue are unknown at plan.
   */
  private static Set<String> instanceTypesOfStageQueue(PlannedResources plan, String stage) {
    String queue = plan.output("stage_jobs").path(stage).path("job_queue").asText();
    String pool = plan.ofType("aws_batch_job_queue").stream()
        .filter(q -> q.values().path("name").asText().equals(queue))
        .findFirst().orElseThrow(() -> new AssertionError("no planned job queue named '" + queue + "' for " + stage))
        .index();
    Set<String> types = new TreeSet<>();
    for (String environment : List.of("gpu_spot", "gpu_on_demand")) {
      plan.one("aws_batch_compute_environment", environment, pool).values().at("/compute_resources/0/instance_type")
          .forEach(type -> types.add(type.asText()));
    }
    return types;
  }

  /** {@code examples/complete} planned against the emulator, with a budget (planned once, shared by the tests). */
  private static synchronized PlannedResources completeExamplePlan() throws Exception {
    if (completePlan == null) {
      Path dir = workspace.root().resolve("examples/complete");
      Files.writeString(dir.resolve("emulator_override.tf"), providerOverride());
      workspace.initialised("examples/complete");
      terraform.run(dir, emulator.environment(), "plan", "-out=tfplan", "-no-color",
          "-var", "vpc_id=vpc-0123456789abcdef0",
          "-var", "private_subnet_ids=[\"subnet-aaa\",\"subnet-bbb\"]",
          "-var", "private_route_table_ids=[\"rtb-aaa\"]",
          "-var", "monthly_budget_usd=500",
          "-var", "budget_emails=[\"ops@example.com\"]");
      completePlan = new PlannedResources(JSON.readTree(terraform.run(dir, emulator.environment(), "show", "-json", "tfplan").output()));
    }
    return completePlan;
  }

  /** Plans a throwaway example holding {@code module} (a {@code module "urae"} block) against the emulator. */
  private static TerraformCli.Result planOf(String example, String module) throws IOException {
    Path dir = workspace.root().resolve("examples/" + example);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("main.tf"), providerOverride().replace("provider \"aws\" {", """
        provider "aws" {
          region = "us-east-1"
        """) + module);
    workspace.initialised("examples/" + example);
    return terraform.runAllowingFailure(dir, emulator.environment(), "plan", "-no-color");
  }

  /** Terraform's boxed error output as one line. */
  private static String oneLine(String errors) {
    return errors.replaceAll("\\s*│\\s*", " ").replaceAll("\\s+", " ");
  }

  // Every service the module plans against, routed to the emulator with dummy credentials.
  private static String providerOverride() {
    StringBuilder endpoints = new StringBuilder();
    for (String service : List.of("batch", "budgets", "cloudwatch", "cloudwatchlogs", "ec2", "ecr", "events", "iam", "rds",
        "s3", "scheduler", "secretsmanager", "sqs", "sts")) {
      endpoints.append("    %s = \"%s\"\n".formatted(service, emulator.endpoint()));
    }
    return """
        provider "aws" {
          access_key                  = "test"
          secret_key                  = "test"
          skip_credentials_validation = true
          skip_metadata_api_check     = true
          skip_region_validation      = true
          s3_use_path_style           = true
          endpoints {
        %s  }
        }
        """.formatted(endpoints);
  }
}
