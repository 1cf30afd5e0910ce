package dev.urae.tests.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.urae.infra.aws.SecretsManagerDataSource;
import dev.urae.tests.support.AwsEmulator;
import dev.urae.tests.support.PostgresServer;
import dev.urae.tests.support.UraeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The job repository on AWS: a PostgreSQL that checks passwords (as RDS does), secrets in the
 * emulator's Secrets Manager. The owner prepares a least-privilege application user with
 * {@code urae database bootstrap}; runs connect as that user with the password read from its
 * secret; a rotated password (in PostgreSQL and in the secret) needs no restart.
 */
class DatabaseSecretRotationTest {
  private static final String OWNER_PASSWORD = "owner-pw-0";
  static PostgresServer postgres;
  static AwsEmulator aws;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    aws = AwsEmulator.get();
    postgres = PostgresServer.startWithPasswords(OWNER_PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    if (postgres != null) postgres.close();
  }

  @Test
  void theBootstrappedApplicationUserRunsTheJobRepositoryAndCanChangeNothingElse() throws Exception {
    // given: the owner's secret (as RDS keeps the master password) and the application's
    String ownerSecret = secret("owner", "{\"username\":\"urae\",\"password\":\"" + OWNER_PASSWORD + "\"}");
    String appSecret = secret("app", "{\"username\":\"urae_app\",\"password\":\"app-pw-1\"}");
    Map<String, String> environment = new HashMap<>(aws.environment());
    environment.put("SPRING_DATASOURCE_URL", postgres.jdbcUrl());
    environment.put("URAE_DATABASE_OWNERSECRETID", ownerSecret);
    environment.put("URAE_DATABASE_SECRETID", appSecret);
    UraeCli cli = new UraeCli(work, environment, List.of("-Dspring.profiles.active=test-stages", "-Durae.task-retries=0"));

    // when: the owner's one-off bootstrap, twice (it is safe to repeat)
    UraeCli.Result first = cli.run(Duration.ofSeconds(120), "database", "bootstrap");
    UraeCli.Result again = cli.run(Duration.ofSeconds(120), "database", "bootstrap");
    // then
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.stdout()).contains("created the Spring Batch tables", "created role urae_app");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.stdout()).doesNotContain("created the Spring Batch tables").contains("set the password of role urae_app");

    // when: a run connects as the application user, its password only in the secret
    Path manifest = Files.writeString(work.resolve("app.jsonl"), "{\"prompt\":\"one\",\"id\":\"a\"}\n");
    UraeCli.Result run = cli.run(Duration.ofSeconds(180), "run", manifest.toString(), "--data-dir", work.resolve("data").toString());
    // then: it completed, recorded in PostgreSQL by urae_app
    assertThat(run.exitCode()).as(run.toString()).isZero();
    try (Connection owner = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, OWNER_PASSWORD);
        ResultSet rows = owner.createStatement().executeQuery("select count(*) from batch_job_execution where status = 'COMPLETED'")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
    // and the application user can change rows of the job repository, nothing else
    try (Connection app = DriverManager.getConnection(postgres.jdbcUrl(), "urae_app", "app-pw-1")) {
      assertThat(app.createStatement().executeQuery("select count(*) from batch_step_execution").next()).isTrue();
      assertThatThrownBy(() -> app.createStatement().execute("create table stolen (x int)"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> app.createStatement().execute("drop table batch_job_instance cascade"))
          .isInstanceOf(SQLException.class).hasMessageContaining("must be owner");
    }
  }

  @Test
  void aRotatedPasswordReachesNewConnectionsWithoutARestartAndOpenOnesKeepWorking() throws Exception {
    // given: an application user and a pool over its secret, the secret cached for an hour
    String appSecret = secret("rotating", "{\"username\":\"urae_rotating\",\"password\":\"before\"}");
    ownerExecutes("create role urae_rotating login password 'before'");
    try (SecretsManagerClient secrets = aws.clients().secretsManager();
        HikariDataSource pool = pool(SecretsManagerDataSource.builder().setJdbcUrl(postgres.jdbcUrl()).setSecretId(appSecret)
            .setSecrets(secrets).optCacheFor(Duration.ofHours(1)).build())) {
      Connection open = pool.getConnection();
      assertThat(user(open)).isEqualTo("urae_rotating");
      int openSession = backend(open);

      // when: the password rotates, in PostgreSQL and in the secret (what a rotation function does)
      ownerExecutes("alter role urae_rotating password 'after'");
      secrets.putSecretValue(b -> b.secretId(appSecret).secretString("{\"username\":\"urae_rotating\",\"password\":\"after\"}"));

      // then: the open session keeps working
      assertThat(user(open)).isEqualTo("urae_rotating");
      open.close();
      // and a connection opened now (the pool retired the old ones) logs in with the new password,
      // although the cached secret still held the old one: the refusal makes it read the secret again
      pool.getHikariPoolMXBean().softEvictConnections();
      try (Connection fresh = pool.getConnection()) {
        assertThat(user(fresh)).isEqualTo("urae_rotating");
        assertThat(backend(fresh)).isNotEqualTo(openSession);
      }
    }
  }

  @Test
  void aSecretWithoutAPasswordIsRefusedNamingTheSecret() throws Exception {
    String broken = secret("broken", "{\"username\":\"urae_app\"}");
    try (SecretsManagerClient secrets = aws.clients().secretsManager()) {
      SecretsManagerDataSource source = SecretsManagerDataSource.builder().setJdbcUrl(postgres.jdbcUrl()).setSecretId(broken)
          .setSecrets(secrets).build();
      assertThatThrownBy(source::getConnection).hasMessageContaining(broken).hasMessageContaining("no password key");
    }
  }

  private static HikariDataSource pool(SecretsManagerDataSource source) {
    HikariDataSource pool = new HikariDataSource();
    pool.setDataSource(source);
    pool.setMaximumPoolSize(2);
    return pool;
  }

  private static String user(Connection c) throws SQLException {
    try (ResultSet rows = c.createStatement().executeQuery("select current_user")) {
      rows.next();
      return rows.getString(1);
    }
  }

  /** The PostgreSQL server process of the session: a new one means a new login. */
  private static int backend(Connection c) throws SQLException {
    try (ResultSet rows = c.createStatement().executeQuery("select pg_backend_pid()")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static void ownerExecutes(String sql) throws SQLException {
    try (Connection owner = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, OWNER_PASSWORD)) {
      owner.createStatement().execute(sql);
    }
  }

  private static String secret(String stem, String json) {
    try (SecretsManagerClient secrets = aws.clients().secretsManager()) {
      return secrets.createSecret(b -> b.name(AwsEmulator.uniqueName("urae-db-" + stem)).secretString(json)).arn();
    }
  }
}
