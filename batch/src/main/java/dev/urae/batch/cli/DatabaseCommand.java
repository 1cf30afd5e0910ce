package dev.urae.batch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.batch.aws.JobRepositoryBootstrap;
import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.AwsSettings;
import dev.urae.infra.aws.SecretsManagerDataSource;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@code urae database bootstrap}: the job repository's tables and its least-privilege application user. */
@Command(name = "database", mixinStandardHelpOptions = true,
    description = "Job repository administration (PostgreSQL on AWS).",
    subcommands = DatabaseCommand.Bootstrap.class)
public final class DatabaseCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Connects as the database owner (credentials from a Secrets Manager secret, e.g. the RDS
   * master secret) and prepares the application user named in another secret. The module's
   * {@code <name>-database-bootstrap} job definition runs it with the environment below.
   */
  @Command(name = "bootstrap", mixinStandardHelpOptions = true,
      description = "Create the Spring Batch tables if missing and the application user with only the job repository's rights"
          + " (run again after the application password changed).")
  static final class Bootstrap implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--url", paramLabel = "JDBC_URL", defaultValue = "${env:SPRING_DATASOURCE_URL}",
        description = "The job repository (default: $SPRING_DATASOURCE_URL).")
    String url;

    @Option(names = "--owner-secret", paramLabel = "SECRET", defaultValue = "${env:URAE_DATABASE_OWNERSECRETID}",
        description = "Secret with the owner's username and password, e.g. the RDS master secret (default: $URAE_DATABASE_OWNERSECRETID).")
    String ownerSecret;

    @Option(names = "--owner-user", paramLabel = "NAME", defaultValue = "${env:URAE_DATABASE_OWNERUSER}",
        description = "The owner's user name when its secret has none (default: $URAE_DATABASE_OWNERUSER).")
    String ownerUser;

    @Option(names = "--app-secret", paramLabel = "SECRET", defaultValue = "${env:URAE_DATABASE_SECRETID}",
        description = "Secret with the application user's username and password (default: $URAE_DATABASE_SECRETID).")
    String appSecret;

    @Override
    public Integer call() throws Exception {
      require(url, "--url (or SPRING_DATASOURCE_URL)");
      require(ownerSecret, "--owner-secret (or URAE_DATABASE_OWNERSECRETID)");
      require(appSecret, "--app-secret (or URAE_DATABASE_SECRETID)");
      PrintWriter out = spec.commandLine().getOut();
      AwsSettings settings = AwsSettings.builder()
          .optRegion(System.getenv("URAE_AWS_REGION")).optEndpoint(System.getenv("URAE_AWS_ENDPOINT")).build();
      try (SecretsManagerClient secrets = AwsClientFactory.create(settings).secretsManager()) {
        JsonNode app = new ObjectMapper().readTree(secrets.getSecretValue(b -> b.secretId(appSecret)).secretString());
        String user = app.path("username").asText("");
        String password = app.path("password").asText("");
        if (user.isEmpty() || password.isEmpty()) {
          throw new IllegalArgumentException("--app-secret " + appSecret + ": the secret needs username and password keys");
        }
        SecretsManagerDataSource owner = SecretsManagerDataSource.builder().setJdbcUrl(url).setSecretId(ownerSecret).setSecrets(secrets)
            .optUsername(ownerUser).build();
        for (String step : JobRepositoryBootstrap.run(owner, user, password)) out.println(step);
      }
      out.flush();
      return 0;
    }

    private static void require(String value, String what) {
      if (value == null || value.isBlank()) throw new IllegalArgumentException("urae database bootstrap needs " + what);
    }
  }
}
