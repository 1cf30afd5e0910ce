package dev.urae.infra.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Opens each connection with the user name and password the Secrets Manager secret holds at
 * that moment, so a rotated password needs no restart: connections already open keep their
 * session (PostgreSQL does not end it), and the next one opened uses the new password. The
 * secret is read at most once per {@code cacheFor}; a connection refused for its password reads
 * it again at once and retries once (the rotation happened within the cache time). Meant to sit
 * under a pool, which calls {@link #getConnection()} whenever it opens a connection.
 *
 * <p>The secret is the JSON RDS and the rotation functions write: {@code username} and
 * {@code password} (a secret without {@code username} uses the configured one).
 */
public final class SecretsManagerDataSource implements DataSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** PostgreSQL's invalid_password and invalid_authorization_specification. */
  private static final java.util.Set<String> REFUSED_CREDENTIALS = java.util.Set.of("28P01", "28000");

  /** A user name and password as read from the secret, and when. */
  private record Credentials(String username, String password, long readAtNanos) {}

  private final String jdbcUrl;
  private final String secretId;
  private final String defaultUsername;
  private final SecretsManagerClient secrets;
  private final Duration cacheFor;
  private final LongSupplier nanoTime;
  private volatile Credentials current;
  private volatile int loginTimeoutSeconds;
  private volatile PrintWriter logWriter;

  private SecretsManagerDataSource(Builder b) {
    this.jdbcUrl = b.jdbcUrl;
    this.secretId = b.secretId;
    this.defaultUsername = b.username;
    this.secrets = b.secrets;
    this.cacheFor = b.cacheFor;
    this.nanoTime = b.nanoTime;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Connection getConnection() throws SQLException {
    Credentials used = credentials(false);
    try {
      return connect(used);
    } catch (SQLException e) {
      if (!REFUSED_CREDENTIALS.contains(e.getSQLState())) throw e;
      Credentials fresh = credentials(true);
      if (fresh.password().equals(used.password()) && fresh.username().equals(used.username())) {
        throw new SQLException("the database refused user " + used.username() + " with the password in secret " + secretId
            + " (read just now): " + e.getMessage(), e.getSQLState(), e);
      }
      return connect(fresh);
    }
  }

  /** Not offered: the credentials are the secret's, never the caller's. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials come from secret " + secretId + "; call getConnection()");
  }

  private Connection connect(Credentials credentials) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", credentials.username());
    properties.setProperty("password", credentials.password());
    if (loginTimeoutSeconds > 0) properties.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  private synchronized Credentials credentials(boolean refresh) throws SQLException {
    Credentials cached = current;
    if (!refresh && cached != null && nanoTime.getAsLong() - cached.readAtNanos() < cacheFor.toNanos()) return cached;
    String json;
    try {
      json = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
    } catch (RuntimeException e) {
      throw new SQLException("cannot read the database credentials from secret " + secretId + ": " + AwsErrors.describe(e), "08001", e);
    }
    try {
      JsonNode secret = JSON.readTree(json == null ? "" : json);
      String password = secret == null ? null : secret.path("password").asText(null);
      String username = secret == null ? null : secret.path("username").asText(defaultUsername);
      if (password == null || username == null) {
        throw new SQLException("secret " + secretId + " has no " + (password == null ? "password" : "username")
            + " key; it must be JSON like {\"username\": \"urae_app\", \"password\": \"...\"}", "08001");
      }
      current = new Credentials(username, password, nanoTime.getAsLong());
      return current;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SQLException("secret " + secretId + " is not JSON with username and password keys", "08001", e);
    }
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) return type.cast(this);
    throw new SQLException("not a wrapper for " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  /** Builder: {@code setJdbcUrl}, {@code setSecretId} and {@code setSecrets} are required. */
  public static final class Builder {
    private String jdbcUrl;
    private String secretId;
    private String username;
    private SecretsManagerClient secrets;
    private Duration cacheFor = Duration.ofMinutes(5);
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    public Builder setJdbcUrl(String jdbcUrl) {
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    /** The secret's name or ARN. */
    public Builder setSecretId(String secretId) {
      this.secretId = secretId;
      return this;
    }

    public Builder setSecrets(SecretsManagerClient secrets) {
      this.secrets = secrets;
      return this;
    }

    /** The user name when the secret has none (an {@code existing_database} secret with only a password). */
    public Builder optUsername(String username) {
      this.username = username == null || username.isBlank() ? null : username;
      return this;
    }

    /** How long a read secret is used before it is read again (default 5 min). */
    public Builder optCacheFor(Duration cacheFor) {
      this.cacheFor = Objects.requireNonNull(cacheFor, "cacheFor == null");
      return this;
    }

    /** The clock behind the cache (tests). */
    public Builder optNanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime == null");
      return this;
    }

    public SecretsManagerDataSource build() {
      if (jdbcUrl == null || jdbcUrl.isBlank()) throw new IllegalArgumentException("jdbcUrl is not set (spring.datasource.url)");
      if (secretId == null || secretId.isBlank()) throw new IllegalArgumentException("secretId is not set (urae.database.secret-id)");
      if (secrets == null) throw new IllegalArgumentException("secrets == null");
      if (cacheFor.isNegative()) throw new IllegalArgumentException("cacheFor must be >= 0, was " + cacheFor);
      return new SecretsManagerDataSource(this);
    }
  }
}
