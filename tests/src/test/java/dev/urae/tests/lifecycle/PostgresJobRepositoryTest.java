package dev.urae.tests.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.tests.support.PostgresServer;
import dev.urae.tests.support.UraeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same job, with the job repository on a real PostgreSQL server instead of H2. */
class PostgresJobRepositoryTest {
  static PostgresServer postgres;
  @TempDir Path work;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) postgres.close();
  }

  @Test
  void runsFailsResumesAndListsWithPostgresAsTheJobRepository() throws Exception {
    // given: a run whose second shard fails until its control object is removed
    Path dataDir = work.resolve("data");
    Path manifest = Files.writeString(work.resolve("pg.jsonl"),
        "{\"prompt\":\"one\",\"id\":\"a\"}\n{\"prompt\":\"two\",\"id\":\"b\"}\n");
    Files.createDirectories(dataDir.resolve("control"));
    Files.writeString(dataDir.resolve("control/fail-shard-00001"), "");
    UraeCli cli = new UraeCli(work,
        Map.of("SPRING_DATASOURCE_URL", postgres.jdbcUrl(), "SPRING_DATASOURCE_USERNAME", PostgresServer.USER,
            "SPRING_DATASOURCE_PASSWORD", ""),
        List.of("-Dspring.profiles.active=test-stages", "-Durae.task-retries=0"));
    String[] common = {"--data-dir", dataDir.toString(), "--shard-size", "1"};

    // when
    UraeCli.Result failed = cli.run(Duration.ofSeconds(120), concat(new String[] {"run", manifest.toString()}, common));
    // then
    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
    assertThat(failed.stderr()).contains("at stage work", "injected failure");
    String runId = failed.stdout().lines().findFirst().orElseThrow().substring(4).strip();

    // when the cause is fixed
    Files.delete(dataDir.resolve("control/fail-shard-00001"));
    UraeCli.Result resumed = cli.run(Duration.ofSeconds(120), "resume", runId, "--data-dir", dataDir.toString());
    UraeCli.Result list = cli.run(Duration.ofSeconds(120), "list", "--data-dir", dataDir.toString());

    // then: the run completed, and its history lives in PostgreSQL, not in an H2 file
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(list.stdout()).contains(runId, "COMPLETED");
    assertThat(dataDir.resolve("repository")).doesNotExist();
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, "");
        ResultSet rows = c.createStatement().executeQuery(
            "select count(*) from batch_job_execution e join batch_job_instance i using (job_instance_id)"
                + " where i.job_name = 'urae'")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(2);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
