package dev.urae.tests.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.CEType;
import software.amazon.awssdk.services.batch.model.JobDefinitionType;

/**
 * A minimal AWS Batch setup in the emulator, what Terraform makes on AWS: a service role, an
 * unmanaged compute environment, one job queue and one container job definition, all with
 * fresh names.
 *
 * @param jobQueue      the queue's name
 * @param jobDefinition the job definition's name
 */
public record BatchEnvironment(String jobQueue, String jobDefinition) {

  /** Creates the environment through {@code endpoint} (the emulator). */
  public static BatchEnvironment create(AwsEmulator emulator) {
    String stem = AwsEmulator.uniqueName("urae");
    String roleArn = createRole(emulator.endpoint(), stem + "-batch-service");
    try (BatchClient batch = emulator.clients().batch()) {
      batch.createComputeEnvironment(b -> b.computeEnvironmentName(stem + "-ce").type(CEType.UNMANAGED)
          .state("ENABLED").serviceRole(roleArn));
      batch.createJobQueue(b -> b.jobQueueName(stem + "-queue").priority(1).state("ENABLED")
          .computeEnvironmentOrder(o -> o.order(1).computeEnvironment(stem + "-ce")));
      batch.registerJobDefinition(b -> b.jobDefinitionName(stem + "-worker").type(JobDefinitionType.CONTAINER)
          // Legacy vcpus/memory fields: moto echoes resourceRequirements' VCPU back as 1.0, a float
          // the SDK refuses to read as the integer DescribeJobs promises.
          .containerProperties(c -> c.image("urae-worker:test").command("urae", "--help").vcpus(1).memory(2048)));
    }
    return new BatchEnvironment(stem + "-queue", stem + "-worker");
  }

  /**
   * The queue and job definition settings Terraform gives every container, with this environment
   * as the CPU one (the default: teacher, report) and {@code gpu} for the GPU stages.
   */
  public Map<String, String> stagePlacement(BatchEnvironment gpu) {
    Map<String, String> variables = new TreeMap<>();
    variables.put("URAE_AWS_BATCH_JOBQUEUE_DEFAULT", jobQueue);
    variables.put("URAE_AWS_BATCH_JOBDEFINITION_DEFAULT", jobDefinition);
    for (String stage : List.of("CACHE", "ADAPT", "RENDER")) {
      variables.put("URAE_AWS_BATCH_JOBQUEUE_" + stage, gpu.jobQueue());
      variables.put("URAE_AWS_BATCH_JOBDEFINITION_" + stage, gpu.jobDefinition());
    }
    return variables;
  }

  /** IAM has no client in this build; one query-protocol call creates the role the Batch API asks for. */
  private static String createRole(URI endpoint, String name) {
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Principal\":{\"Service\":\"batch.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    String form = "Action=CreateRole&Version=2010-05-08&RoleName=" + name
        + "&AssumeRolePolicyDocument=" + URLEncoder.encode(policy, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve("/"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + AwsEmulator.ACCESS_KEY
                  + "/20260101/" + AwsEmulator.REGION + "/iam/aws4_request, SignedHeaders=host, Signature=0")
              .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) throw new IllegalStateException("CreateRole answered " + response.statusCode() + ": " + response.body());
      int start = response.body().indexOf("<Arn>");
      int end = response.body().indexOf("</Arn>");
      return response.body().substring(start + 5, end);
    } catch (IOException e) {
      throw new IllegalStateException("CreateRole failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
