package dev.urae.tests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server for the tests, started from the machine's server binaries on a free
 * loopback port, in a throw-away data folder, with trust authentication. PostgreSQL refuses to
 * run as root, so as root it runs as the {@code postgres} user via {@code runuser}.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "urae";
  public static final String DATABASE = "urae";

  private final Path base;
  private final Path data;
  private final int port;
  private final String binDir;
  private final boolean asPostgresUser;
  /** Null: trust authentication; else TCP logins need a password and the owner {@link #USER} has this one. */
  private final String ownerPassword;

  private PostgresServer(Path base, String binDir, boolean asPostgresUser, String ownerPassword) {
    this.ownerPassword = ownerPassword;
    this.base = base;
    this.data = base.resolve("data");
    this.port = AwsEmulator.freePort();
    this.binDir = binDir;
    this.asPostgresUser = asPostgresUser;
  }

  /** The directory holding {@code initdb} and {@code pg_ctl}, or null when there is none. */
  public static String findBinaries() {
    String onPath = AwsEmulator.findOnPath("pg_ctl");
    if (onPath != null && AwsEmulator.findOnPath("initdb") != null) return Path.of(onPath).getParent().toString();
    for (String version : List.of("17", "16", "15", "14")) {
      Path dir = Path.of("/usr/lib/postgresql", version, "bin");
      if (Files.isExecutable(dir.resolve("pg_ctl"))) return dir.toString();
    }
    return null;
  }

  public static PostgresServer start() throws IOException, InterruptedException {
    return start(null);
  }

  /**
   * A server that checks passwords (scram-sha-256) on TCP connections, as RDS does; the owner
   * {@link #USER} logs in with {@code ownerPassword}.
   */
  public static PostgresServer startWithPasswords(String ownerPassword) throws IOException, InterruptedException {
    return start(java.util.Objects.requireNonNull(ownerPassword, "ownerPassword == null"));
  }

  private static PostgresServer start(String ownerPassword) throws IOException, InterruptedException {
    String bin = findBinaries();
    if (bin == null) throw new IllegalStateException("no PostgreSQL server binaries (initdb, pg_ctl); .ci/run installs them");
    boolean root = "root".equals(System.getProperty("user.name"));
    Path base = Files.createTempDirectory(Path.of("/tmp"), "urae-pg-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    PostgresServer server = new PostgresServer(base, bin, root, ownerPassword);
    server.initAndStart();
    return server;
  }

  private void initAndStart() throws IOException, InterruptedException {
    Files.createDirectories(data);
    if (asPostgresUser) exec(List.of("chown", "-R", "postgres:postgres", base.toString()));
    if (ownerPassword == null) {
      exec(pg(bin("initdb"), "-D", data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"));
    } else {
      Path passwordFile = base.resolve("owner-password");
      Files.writeString(passwordFile, ownerPassword + "\n");
      if (asPostgresUser) exec(List.of("chown", "postgres:postgres", passwordFile.toString()));
      exec(pg(bin("initdb"), "-D", data.toString(), "-U", USER, "--auth-local=trust", "--auth-host=scram-sha-256",
          "--pwfile=" + passwordFile, "-E", "UTF8", "--no-sync"));
    }
    exec(pg(bin("pg_ctl"), "-D", data.toString(), "-l", base.resolve("server.log").toString(), "-w", "-t", "60",
        "-o", "-p " + port + " -h 127.0.0.1 -k " + base + " -F", "start"));
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER,
        ownerPassword == null ? "" : ownerPassword);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IOException("could not create the test database: " + e.getMessage(), e);
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      exec(pg(bin("pg_ctl"), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    } finally {
      exec(List.of("rm", "-rf", base.toString()));
    }
  }

  private String bin(String name) {
    return Path.of(binDir, name).toString();
  }

  private List<String> pg(String... command) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) full.addAll(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(List.of(command));
    return full;
  }

  private static void exec(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + output);
    }
  }
}
