package dev.urae.batch.aws;

import dev.urae.batch.config.UraeProperties;
import dev.urae.batch.run.RunLayout;
import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.AwsSettings;
import dev.urae.infra.awsbatch.AwsBatchExecutor;
import dev.urae.infra.exec.TaskExecutor;
import dev.urae.infra.s3.S3Scheme;
import dev.urae.infra.store.ObjectStore;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * AWS wiring: clients from {@code urae.aws.*} and the standard AWS configuration, the AWS Batch
 * executor when {@code urae.executor=aws-batch}. The S3 store itself needs no bean: the store
 * root {@code urae.store=s3://...} opens through {@code ObjectStores}, where {@code s3} is
 * registered before any bean is made.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AwsProperties.class, WatchProperties.class, CostProperties.class})
public class AwsConfiguration {

  /** Registers {@code s3://} with the {@code urae.aws.*} overrides before the store bean opens its root. */
  @Bean
  static BeanFactoryPostProcessor s3SchemeRegistration() {
    return new S3SchemeRegistration();
  }

  @Bean
  AwsClientFactory awsClientFactory(AwsProperties properties) {
    return AwsClientFactory.create(settings(properties.getRegion(), properties.getEndpoint()));
  }

  /** The executor; on shutdown (Ctrl-C, SIGTERM) it terminates the jobs still live, each once. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "urae.executor", havingValue = "aws-batch")
  TaskExecutor awsBatchExecutor(AwsProperties properties, CostProperties cost, UraeProperties urae, AwsClientFactory clients,
      ObjectStore store) {
    StagePlacement.check(properties.getBatch().getJobQueue(), properties.getBatch().getJobDefinition(), urae.getGpuStages());
    // Markers are checked by the stage itself, so the executor trusts AWS Batch's word here.
    return AwsBatchExecutor.builder()
        .setClient(clients.batch())
        .setConfig(properties.getBatch().toConfig())
        .setStore(store)
        .setTaskListKeys((runId, stage, jobName) -> new RunLayout(runId).taskList(stage, jobName))
        .optPrices(cost.toPrices())
        .build();
  }

  static AwsSettings settings(String region, String endpoint) {
    return AwsSettings.builder().optRegion(region).optEndpoint(endpoint).build();
  }

  static final class S3SchemeRegistration implements BeanFactoryPostProcessor, EnvironmentAware {
    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
      this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(org.springframework.beans.factory.config.ConfigurableListableBeanFactory factory) {
      String region = environment.getProperty("urae.aws.region", "");
      String endpoint = environment.getProperty("urae.aws.endpoint", "");
      if (!region.isBlank() || !endpoint.isBlank()) S3Scheme.register(settings(region, endpoint));
      // Otherwise the S3 provider on the class path serves s3:// from the standard AWS configuration.
    }
  }
}
