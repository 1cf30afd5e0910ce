package dev.urae.batch.aws;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * Prepares a PostgreSQL job repository for an application user with only the rights Spring
 * Batch's JDBC job repository needs: run as the database owner (the RDS master user), it creates
 * the Spring Batch tables and sequences when they are missing, creates the application role
 * (or sets its password), and grants it CONNECT, USAGE on the schema, SELECT/INSERT/UPDATE/DELETE
 * on the {@code batch_*} tables and USAGE/SELECT on their sequences. Nothing else: no CREATE, no
 * DDL, no other tables. Safe to run again (after a rotation of the application's password too).
 */
public final class JobRepositoryBootstrap {
  private static final String SCHEMA_SCRIPT = "org/springframework/batch/core/schema-postgresql.sql";

  private JobRepositoryBootstrap() {}

  /** What was done, one line per step, for the command's output. */
  public static List<String> run(DataSource owner, String appUser, String appPassword) throws SQLException {
    if (appUser == null || appUser.isBlank()) throw new IllegalArgumentException("the application user name is empty");
    if (appPassword == null || appPassword.isEmpty()) throw new IllegalArgumentException("the application user's password is empty");
    List<String> done = new ArrayList<>();
    try (Connection c = owner.getConnection()) {
      c.setAutoCommit(false);
      if (!exists(c, "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'batch_job_instance'")) {
        ScriptUtils.executeSqlScript(c, new ClassPathResource(SCHEMA_SCRIPT));
        done.add("created the Spring Batch tables and sequences");
      }
      boolean roleExists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", appUser);
      // Identifiers and the password go through format(%I, %L): quoted by PostgreSQL itself.
      execute(c, "SELECT format('" + (roleExists ? "ALTER" : "CREATE") + " ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', ?, ?)",
          appUser, appPassword);
      done.add((roleExists ? "set the password of role " : "created role ") + appUser);
      execute(c, "SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), ?)", appUser);
      execute(c, "SELECT format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), ?)", appUser);
      for (String table : names(c, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'batch\\_%'")) {
        execute(c, "SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE %I TO %I', ?, ?)", table, appUser);
      }
      for (String sequence : names(c, "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() AND sequencename LIKE 'batch\\_%'")) {
        execute(c, "SELECT format('GRANT USAGE, SELECT ON SEQUENCE %I TO %I', ?, ?)", sequence, appUser);
      }
      done.add("granted " + appUser + " CONNECT, USAGE on the schema, row access to the batch_* tables and their sequences");
      c.commit();
    }
    return done;
  }

  private static boolean exists(Connection c, String query, String... parameters) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(query)) {
      for (int i = 0; i < parameters.length; i++) statement.setString(i + 1, parameters[i]);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static List<String> names(Connection c, String query) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement statement = c.createStatement(); ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) names.add(rows.getString(1));
    }
    return names;
  }

  /** Builds one statement with {@code format} on the server, then runs it. */
  private static void execute(Connection c, String formatQuery, String... parameters) throws SQLException {
    String sql;
    try (PreparedStatement statement = c.prepareStatement(formatQuery)) {
      for (int i = 0; i < parameters.length; i++) statement.setString(i + 1, parameters[i]);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        sql = rows.getString(1);
      }
    }
    try (Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }
}
