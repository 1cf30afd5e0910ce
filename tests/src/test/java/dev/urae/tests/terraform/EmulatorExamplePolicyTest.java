package dev.urae.tests.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.tests.terraform.PlannedResources.Planned;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invariants of the environment, asserted over the plan of {@code examples/emulator}, which uses
 * the module with its production defaults (only teardown settings differ).
 */
class EmulatorExamplePolicyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PlannedResources plan;

  @BeforeAll
  static void planTheEmulatorExample() {
    TerraformCli terraform = TerraformCli.find().orElse(null);
    if (terraform == null) System.out.println("[terraform] terraform is not on the PATH: plan policy checks skipped");
    assumeTrue(terraform != null, "terraform is not on the PATH: plan policy checks skipped");
    plan = new PlannedResources(EmulatorExample.shared(terraform).plan());
  }

  @Test
  void dataBucketIsEncryptedVersionedAndPrivate() {
    // given
    Planned encryption = plan.one("aws_s3_bucket_server_side_encryption_configuration", "this");
    Planned versioning = plan.one("aws_s3_bucket_versioning", "this");
    Planned publicAccess = plan.one("aws_s3_bucket_public_access_block", "this");
    Planned ownership = plan.one("aws_s3_bucket_ownership_controls", "this");

    // then
    assertThat(encryption.values().at("/rule/0/apply_server_side_encryption_by_default/0/sse_algorithm").asText())
        .isIn("aws:kms", "aws:kms:dsse", "AES256");
    assertThat(versioning.values().at("/versioning_configuration/0/status").asText()).isEqualTo("Enabled");
    for (String flag : List.of("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
      assertThat(publicAccess.values().path(flag).asBoolean()).as(flag).isTrue();
    }
    assertThat(ownership.values().at("/rule/0/object_ownership").asText()).isEqualTo("BucketOwnerEnforced");
  }

  @Test
  void bucketPolicyDeniesEveryRequestWithoutTls() throws Exception {
    // given
    JsonNode policy = JSON.readTree(plan.one("aws_s3_bucket_policy", "this").values().path("policy").asText());
    String bucketArn = "arn:aws:s3:::" + plan.one("aws_s3_bucket", "this").values().path("bucket").asText();

    // when
    List<JsonNode> tlsDenials = new ArrayList<>();
    for (JsonNode statement : statements(policy)) {
      boolean denies = statement.path("Effect").asText().equals("Deny");
      boolean everyone = statement.path("Principal").asText().equals("*")
          || statement.path("Principal").path("AWS").asText().equals("*");
      boolean everyAction = values(statement.path("Action")).contains("s3:*");
      boolean wholeBucket = values(statement.path("Resource")).containsAll(List.of(bucketArn, bucketArn + "/*"));
      boolean withoutTls = statement.at("/Condition/Bool/aws:SecureTransport").asText().equals("false");
      if (denies && everyone && everyAction && wholeBucket && withoutTls) tlsDenials.add(statement);
    }

    // then
    assertThat(tlsDenials).as("a Deny of s3:* to everyone on %s without aws:SecureTransport in %s", bucketArn, policy)
        .hasSize(1);
  }

  @Test
  void noPolicyAllowsAWholeServiceOnEveryResource() throws Exception {
    // given every policy document in the plan (inline role policies, bucket and queue policies)
    Map<String, JsonNode> documents = new TreeMap<>();
    for (Planned resource : plan.all()) {
      for (String attribute : List.of("policy", "assume_role_policy")) {
        JsonNode text = resource.values().path(attribute);
        if (text.isTextual() && text.asText().trim().startsWith("{")) {
          documents.put(resource.address() + "." + attribute, JSON.readTree(text.asText()));
        }
      }
    }
    assertThat(documents).as("policy documents in the plan").hasSizeGreaterThanOrEqualTo(8);

    // when
    List<String> violations = new ArrayList<>();
    documents.forEach((where, document) -> {
      for (JsonNode statement : statements(document)) {
        if (!statement.path("Effect").asText().equals("Allow")) continue;
        List<String> actions = values(statement.path("Action"));
        boolean anyResource = values(statement.path("Resource")).contains("*");
        for (String action : actions) {
          boolean wildcardAction = action.equals("*") || action.endsWith(":*");
          if (wildcardAction && (anyResource || action.equals("*"))) violations.add(where + ": " + statement);
        }
      }
    });

    // then
    assertThat(violations).as("Allow statements granting a whole service or everything").isEmpty();
  }

  @Test
  void orchestratorRoleReachesOnlyTheStoreAndTheseQueuesAndStopsOnlyUraeJobs() throws Exception {
    // given the orchestrator role's inline policy
    JsonNode policy = JSON.readTree(plan.one("aws_iam_role_policy", "orchestrator").values().path("policy").asText());
    String bucketArn = "arn:aws:s3:::" + plan.one("aws_s3_bucket", "this").values().path("bucket").asText();

    // then object access is limited to prefixes under the store, SubmitJob to this
    // environment's queues and stage job definitions, and stopping to jobs tagged as URAE's
    for (JsonNode statement : statements(policy)) {
      List<String> actions = values(statement.path("Action"));
      List<String> resources = values(statement.path("Resource"));
      if (actions.stream().anyMatch(a -> a.startsWith("s3:") && a.contains("Object"))) {
        if (resources.contains("arn:aws:s3:::urae-emu-models/flux1-dev/*")) {
          // the launch reads the checkpoint's configs and headers: read-only, that prefix only
          assertThat(actions).containsExactly("s3:GetObject");
          assertThat(resources).containsExactly("arn:aws:s3:::urae-emu-models/flux1-dev/*");
        } else {
          assertThat(resources).allSatisfy(r -> assertThat(r).startsWith(bucketArn + "/urae/"));
        }
      }
      if (actions.contains("s3:ListBucket") && resources.contains("arn:aws:s3:::urae-emu-models")) {
        // it lists the checkpoints of model_uris at launch, and only those prefixes
        assertThat(statement.at("/Condition/StringLike/s3:prefix").toString()).contains("flux1-dev/*");
      }
      if (actions.contains("batch:SubmitJob")) {
        assertThat(resources).allSatisfy(r -> assertThat(r).matches("arn:aws:batch:[^:]+:\\d+:(job-queue|job-definition)/urae-emu-.*"))
            .noneMatch(r -> r.contains("urae-emu-orchestrator"));
      }
      if (actions.contains("batch:TerminateJob")) {
        assertThat(statement.at("/Condition/Null/aws:ResourceTag~1urae:run").asText()).as(statement.toString()).isEqualTo("false");
      }
    }
  }

  @Test
  void workersGetTheirRunsAndTheCacheAndNothingElse() throws Exception {
    // given the worker role's policy and the workers' execution role's policy
    JsonNode worker = JSON.readTree(plan.one("aws_iam_role_policy", "worker").values().path("policy").asText());
    JsonNode execution = JSON.readTree(plan.one("aws_iam_role_policy", "execution").values().path("policy").asText());
    String bucketArn = "arn:aws:s3:::" + plan.one("aws_s3_bucket", "this").values().path("bucket").asText();

    // then the worker may touch runs/ and cache/ objects only, and read the checkpoints of model_uris: no database, queue or Batch
    String models = "arn:aws:s3:::urae-emu-models";
    List<String> workerActions = new ArrayList<>();
    for (JsonNode statement : statements(worker)) {
      workerActions.addAll(values(statement.path("Action")));
      for (String resource : values(statement.path("Resource"))) {
        if (resource.startsWith(models)) {
          assertThat(resource).isIn(models, models + "/flux1-dev/*");
          assertThat(values(statement.path("Action"))).isSubsetOf("s3:GetObject", "s3:ListBucket");
        } else if (!resource.equals(bucketArn)) {
          assertThat(resource).matches(bucketArn.replace(".", "\\.") + "/urae/(runs|cache)/\\*");
        }
      }
    }
    assertThat(workerActions).allSatisfy(a -> assertThat(a).startsWith("s3:"));
    assertThat(statements(worker)).anyMatch(st -> values(st.path("Resource")).contains(models + "/flux1-dev/*")
        && values(st.path("Action")).contains("s3:GetObject"));
    assertThat(statements(worker)).anyMatch(st -> values(st.path("Resource")).contains(models)
        && st.at("/Condition/StringLike/s3:prefix").toString().contains("flux1-dev/*"));
    // and ECS starts containers without any secret
    for (JsonNode statement : statements(execution)) {
      assertThat(values(statement.path("Action"))).noneMatch(a -> a.startsWith("secretsmanager:"));
    }
  }

  @Test
  void onlyTheBootstrapJobReadsTheOwnersPasswordAndOrchestratorsReadOnlyTheApplicationUsersSecret() throws Exception {
    // given the roles' inline policies
    JsonNode orchestrator = JSON.readTree(plan.one("aws_iam_role_policy", "orchestrator").values().path("policy").asText());
    JsonNode bootstrap = JSON.readTree(plan.one("aws_iam_role_policy", "database_bootstrap").values().path("policy").asText());
    String appSecret = "arn:aws:secretsmanager:us-east-1:\\d+:secret:urae-emu-jobrepo-app-\\?\\?\\?\\?\\?\\?";

    // then orchestrators may read the application user's secret, nothing else in Secrets Manager
    List<String> orchestratorSecrets = statements(orchestrator).stream()
        .filter(st -> values(st.path("Action")).stream().anyMatch(a -> a.startsWith("secretsmanager:")))
        .flatMap(st -> values(st.path("Resource")).stream()).toList();
    assertThat(orchestratorSecrets).singleElement().satisfies(r -> assertThat(r).matches(appSecret));
    // and the bootstrap job reads that one and the RDS-managed owner secret of this cluster only
    List<JsonNode> reads = statements(bootstrap).stream()
        .filter(st -> values(st.path("Action")).equals(List.of("secretsmanager:GetSecretValue"))).toList();
    assertThat(reads).hasSize(2);
    assertThat(reads).anySatisfy(st -> assertThat(values(st.path("Resource"))).singleElement().satisfies(r -> assertThat(r).matches(appSecret)));
    assertThat(reads).anySatisfy(st -> {
      assertThat(values(st.path("Resource"))).singleElement().satisfies(r -> assertThat(r).endsWith(":secret:rds!cluster-*"));
      assertThat(st.at("/Condition/StringEquals/secretsmanager:ResourceTag~1aws:rds:primaryDBClusterArn").asText()).endsWith(":cluster:urae-emu-jobrepo");
    });
    // and the application's password never passes through the plan (write-only)
    JsonNode version = plan.one("aws_secretsmanager_secret_version", "database_app").values();
    assertThat(version.path("secret_string").isMissingNode() || version.path("secret_string").isNull()).isTrue();
    assertThat(version.path("secret_string_wo_version").asInt()).isEqualTo(1);
  }

  @Test
  void databaseAdmitsOrchestratorsOnly() {
    // given every ingress rule of the database's security group (their group ids are unknown at
    // plan, so they are read from the configuration's references)
    List<String> admitted = new ArrayList<>();
    for (Planned rule : plan.ofType("aws_vpc_security_group_ingress_rule")) {
      JsonNode expressions = plan.moduleConfiguration(rule.type(), rule.name()).path("expressions");
      boolean intoDatabase = expressions.path("security_group_id").path("references").toString()
          .contains("\"aws_security_group.database\"");
      if (intoDatabase) {
        admitted.add(plan.referencedResource(expressions.path("referenced_security_group_id"), "aws_security_group").orElse("?"));
      }
    }

    // then
    assertThat(admitted).containsExactly("aws_security_group.orchestrator");
  }

  @Test
  void queuesCancelJobsStuckInRunnableForAKnownReason() {
    for (String queue : List.of("gpu", "cpu", "orchestrator")) {
      // given
      JsonNode limits = plan.one("aws_batch_job_queue", queue).values().path("job_state_time_limit_action");
      List<String> reasons = new ArrayList<>();

      // then
      for (JsonNode limit : limits) {
        assertThat(limit.path("action").asText()).isEqualTo("CANCEL");
        assertThat(limit.path("state").asText()).isEqualTo("RUNNABLE");
        assertThat(limit.path("max_time_seconds").asInt()).isBetween(600, 86400);
        reasons.add(limit.path("reason").asText());
      }
      assertThat(reasons).as(queue).containsExactlyInAnyOrder("MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
          "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT", "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY");
    }
  }

  @Test
  void gpuInstancesRequireImdsV2WithOneHopAndBootFromGp3() {
    // given
    JsonNode template = plan.one("aws_launch_template", "gpu").values();

    // then
    assertThat(template.at("/metadata_options/0/http_tokens").asText()).isEqualTo("required");
    assertThat(template.at("/metadata_options/0/http_put_response_hop_limit").asInt()).isEqualTo(1);
    assertThat(template.at("/block_device_mappings/0/ebs/0/volume_type").asText()).isEqualTo("gp3");
    assertThat(template.at("/block_device_mappings/0/ebs/0/volume_size").asInt()).isGreaterThanOrEqualTo(60);
    String userData = new String(java.util.Base64.getDecoder().decode(template.path("user_data").asText()));
    assertThat(userData).as("MIME multi-part, as Batch requires").startsWith("MIME-Version: 1.0")
        .contains("nvme-Amazon_EC2_NVMe_Instance_Storage").contains("mount");
    // and both GPU environments launch from it
    for (String environment : List.of("gpu_spot", "gpu_on_demand")) {
      JsonNode launch = plan.moduleConfiguration("aws_batch_compute_environment", environment)
          .at("/expressions/compute_resources/0/launch_template/0/launch_template_id");
      assertThat(plan.referencedResource(launch, "aws_launch_template")).contains("aws_launch_template.gpu");
    }
  }

  @Test
  void deadLetterQueueRaisesAnAlarm() {
    // given
    JsonNode alarm = plan.one("aws_cloudwatch_metric_alarm", "manifests_dlq").values();

    // then
    assertThat(alarm.path("namespace").asText()).isEqualTo("AWS/SQS");
    assertThat(alarm.path("metric_name").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(alarm.at("/dimensions/QueueName").asText()).isEqualTo("urae-emu-manifests-dlq");
    assertThat(alarm.path("comparison_operator").asText()).isEqualTo("GreaterThanThreshold");
    assertThat(alarm.path("threshold").asDouble()).isZero();
  }

  @Test
  void everyTaggableResourceIsTagged() {
    // given resources whose type supports tags (they plan a tags_all map)
    List<Planned> taggable = plan.all().stream().filter(r -> r.values().has("tags_all")).toList();
    assertThat(taggable).as("taggable resources").hasSizeGreaterThan(30);

    // then
    List<String> untagged = taggable.stream()
        .filter(r -> r.values().path("tags_all").size() == 0 || !r.values().path("tags_all").has("Name"))
        .map(Planned::address)
        .toList();
    assertThat(untagged).as("taggable resources without tags (or without a Name tag)").isEmpty();
  }

  @Test
  void logGroupsExpireTheirLogs() {
    // given
    List<Planned> groups = plan.ofType("aws_cloudwatch_log_group");

    // then
    assertThat(groups).isNotEmpty();
    for (Planned group : groups) {
      assertThat(group.values().path("retention_in_days").asInt()).as(group.address()).isPositive();
    }
  }

  @Test
  void gpuQueuePrefersSpotThenFallsBackToOnDemand() {
    // given the queue's compute environment order (the environments' ARNs are unknown at plan,
    // so the order is read from the configuration's references)
    JsonNode order = plan.moduleConfiguration("aws_batch_job_queue", "gpu").path("expressions").path("compute_environment_order");
    Map<Integer, String> environmentByOrder = new TreeMap<>();
    for (JsonNode entry : order) {
      environmentByOrder.put(entry.at("/order/constant_value").asInt(),
          plan.referencedResource(entry.path("compute_environment"), "aws_batch_compute_environment").orElseThrow());
    }

    // when
    List<JsonNode> resources = environmentByOrder.values().stream()
        .map(reference -> plan.one("aws_batch_compute_environment", reference.substring(reference.indexOf('.') + 1))
            .values().at("/compute_resources/0"))
        .toList();

    // then
    assertThat(resources).hasSize(2);
    assertThat(resources.get(0).path("type").asText()).isEqualTo("SPOT");
    assertThat(resources.get(0).path("allocation_strategy").asText()).isEqualTo("SPOT_PRICE_CAPACITY_OPTIMIZED");
    assertThat(resources.get(1).path("type").asText()).isEqualTo("EC2");
    for (JsonNode gpu : resources) {
      assertThat(gpu.at("/ec2_configuration/0/image_type").asText()).endsWith("_NVIDIA");
      assertThat(gpu.path("min_vcpus").asInt()).as("GPU environments scale to zero").isZero();
    }
  }

  @Test
  void jobsRetryOnlyWhenTheHostWentAwayOrTheImageCouldNotBePulled() {
    // given every job definition
    List<Planned> definitions = plan.ofType("aws_batch_job_definition");
    assertThat(definitions).as("cache, adapt, render (GPU), the CPU default, the orchestrator, the database bootstrap").hasSize(6);

    for (Planned definition : definitions) {
      // then every rule but the last retries a host loss or a failed pull, and the last exits
      JsonNode rules = definition.values().at("/retry_strategy/0/evaluate_on_exit");
      List<String> retried = new ArrayList<>();
      for (int i = 0; i < rules.size() - 1; i++) {
        assertThat(rules.get(i).path("action").asText()).isEqualToIgnoringCase("RETRY");
        retried.add(rules.get(i).path("on_status_reason").asText());
      }
      assertThat(retried).as(definition.address())
          .containsExactly("Host EC2*", "CannotPullContainerError*", "DockerTimeoutError*");
      assertThat(rules.get(rules.size() - 1).path("on_reason").asText()).isEqualTo("*");
      assertThat(rules.get(rules.size() - 1).path("action").asText()).isEqualToIgnoringCase("EXIT");
      assertThat(definition.values().at("/timeout/0/attempt_duration_seconds").asInt()).isPositive();
    }
  }

  @Test
  void queuesDatabaseAndImagesAreEncryptedAndImagesImmutable() {
    // then
    for (Planned queue : plan.ofType("aws_sqs_queue")) {
      boolean encrypted = queue.values().path("sqs_managed_sse_enabled").asBoolean()
          || !queue.values().path("kms_master_key_id").asText().isEmpty();
      assertThat(encrypted).as(queue.address() + " encrypted").isTrue();
    }
    assertThat(plan.one("aws_rds_cluster", "this").values().path("storage_encrypted").asBoolean()).isTrue();
    assertThat(plan.one("aws_rds_cluster", "this").values().path("manage_master_user_password").asBoolean())
        .as("the job repository password lives in Secrets Manager, not in the state").isTrue();
    for (Planned repository : plan.ofType("aws_ecr_repository")) {
      assertThat(repository.values().path("image_tag_mutability").asText()).isEqualTo("IMMUTABLE");
      assertThat(repository.values().at("/image_scanning_configuration/0/scan_on_push").asBoolean()).isTrue();
    }
  }

  private static List<JsonNode> statements(JsonNode policy) {
    JsonNode statement = policy.path("Statement");
    List<JsonNode> list = new ArrayList<>();
    if (statement.isArray()) statement.forEach(list::add);
    else if (statement.isObject()) list.add(statement);
    return list;
  }

  private static List<String> values(JsonNode node) {
    List<String> list = new ArrayList<>();
    if (node.isArray()) node.forEach(v -> list.add(v.asText()));
    else if (node.isTextual()) list.add(node.asText());
    return list;
  }
}
