package dev.urae.tests.terraform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Raw listing calls against the emulator for services the tests have no SDK module for (IAM,
 * EC2, RDS, ECR, CloudWatch Logs, Secrets Manager, EventBridge, Scheduler). The emulator does not
 * check signatures; the Authorization header only names the service so the request is routed.
 */
final class EmulatorInventory {
  private final URI endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  EmulatorInventory(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** Each listing's response body, by a readable name of the listing. */
  Map<String, String> listings() {
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("iam roles", query("iam", "Action=ListRoles&Version=2010-05-08"));
    bodies.put("iam instance profiles", query("iam", "Action=ListInstanceProfiles&Version=2010-05-08"));
    bodies.put("ec2 vpcs", query("ec2", "Action=DescribeVpcs&Version=2016-11-15"));
    bodies.put("ec2 subnets", query("ec2", "Action=DescribeSubnets&Version=2016-11-15"));
    bodies.put("ec2 security groups", query("ec2", "Action=DescribeSecurityGroups&Version=2016-11-15"));
    bodies.put("ec2 launch templates", query("ec2", "Action=DescribeLaunchTemplates&Version=2016-11-15"));
    bodies.put("cloudwatch alarms", query("monitoring", "Action=DescribeAlarms&Version=2010-08-01"));
    bodies.put("rds clusters", query("rds", "Action=DescribeDBClusters&Version=2014-10-31"));
    bodies.put("rds instances", query("rds", "Action=DescribeDBInstances&Version=2014-10-31"));
    bodies.put("rds subnet groups", query("rds", "Action=DescribeDBSubnetGroups&Version=2014-10-31"));
    bodies.put("ecr repositories", json("ecr", "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories"));
    bodies.put("log groups", json("logs", "Logs_20140328.DescribeLogGroups"));
    bodies.put("secrets", json("secretsmanager", "secretsmanager.ListSecrets"));
    bodies.put("eventbridge rules", json("events", "AWSEvents.ListRules"));
    bodies.put("scheduler schedules", rest("scheduler", "/schedules"));
    bodies.put("scheduler groups", rest("scheduler", "/schedule-groups"));
    return bodies;
  }

  private String query(String service, String form) {
    return send(service, HttpRequest.newBuilder(endpoint.resolve("/"))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  private String json(String service, String target) {
    return send(service, HttpRequest.newBuilder(endpoint.resolve("/"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", target)
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
  }

  private String rest(String service, String path) {
    return send(service, HttpRequest.newBuilder(endpoint.resolve(path)).GET());
  }

  private String send(String service, HttpRequest.Builder request) {
    request.header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/" + service
        + "/aws4_request, SignedHeaders=host, Signature=0");
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new AssertionError(service + " listing answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new AssertionError(service + " listing failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
