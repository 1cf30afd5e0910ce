package dev.urae.batch.aws;

import com.zaxxer.hikari.HikariDataSource;
import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.SecretsManagerDataSource;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The job repository's connections when {@code urae.database.secret-id} names a Secrets Manager
 * secret: a pool whose every new connection reads the user name and password the secret holds
 * then (cached {@code urae.database.secret-cache}, 5 min), so a rotated password needs no
 * restart. Without the property Spring Boot's own pool uses {@code spring.datasource.password}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "urae.database.secret-id")
public class DatabaseConfiguration {

  @Bean(destroyMethod = "close")
  SecretsManagerClient databaseSecrets(AwsClientFactory clients) {
    return clients.secretsManager();
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(
      @Value("${spring.datasource.url}") String url,
      @Value("${spring.datasource.username:}") String username,
      @Value("${urae.database.secret-id}") String secretId,
      @Value("${urae.database.secret-cache:5m}") Duration cacheFor,
      SecretsManagerClient databaseSecrets) {
    HikariDataSource pool = new HikariDataSource();
    pool.setPoolName("urae-job-repository");
    pool.setDataSource(SecretsManagerDataSource.builder()
        .setJdbcUrl(url).setSecretId(secretId).setSecrets(databaseSecrets).optUsername(username).optCacheFor(cacheFor).build());
    return pool;
  }
}
