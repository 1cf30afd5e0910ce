package dev.urae.tests.support;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;

/**
 * Starts LocalStack through Testcontainers when, and only when, a Docker engine answers. Kept
 * apart from {@link AwsEmulator} so the Docker probe is the only Testcontainers code on the
 * default path.
 */
final class LocalStackContainerSupport {
  private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4.0");
  private static GenericContainer<?> container;

  private LocalStackContainerSupport() {}

  static synchronized AwsEmulator startIfDockerAnswers() {
    if (!dockerAnswers()) return null;
    container = new GenericContainer<>(IMAGE)
        .withExposedPorts(4566)
        .waitingFor(Wait.forHttp("/_localstack/health").forPort(4566));
    container.start();
    URI endpoint = URI.create("http://127.0.0.1:" + container.getMappedPort(4566));
    return AwsEmulator.external(endpoint, "localstack");
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
