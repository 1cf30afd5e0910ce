package dev.urae.tests.support;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts LocalStack through Testcontainers' LocalStack module when, and only when, a Docker engine
 * answers. Kept apart from {@link AwsEmulator} so the Docker probe is the only Testcontainers code
 * on the default path.
 */
final class LocalStackContainerSupport {
  private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4.0");
  /** The services the tests call; LocalStack's community edition has no Batch (those tests skip). */
  static final String[] SERVICES = {"s3", "sqs", "iam", "sts", "ec2", "logs", "secretsmanager", "events", "scheduler",
      "ecr", "rds", "cloudwatch"};
  private static LocalStackContainer container;

  private LocalStackContainerSupport() {}

  static synchronized AwsEmulator startIfDockerAnswers() {
    if (!dockerAnswers()) return null;
    container = new LocalStackContainer(IMAGE).withServices(SERVICES);
    container.start();
    // The module's endpoint uses container.getHost(), which is right for remote Docker hosts too.
    return AwsEmulator.external(container.getEndpoint(), "localstack");
  }

  static synchronized void stop() {
    if (container != null) container.stop();
    container = null;
  }

  private static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable noDocker) {
      return false;
    }
  }
}
