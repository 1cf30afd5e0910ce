package dev.urae.batch.config;

import ai.djl.engine.Engine;
import dev.urae.batch.task.TaskWorker;
import dev.urae.infra.exec.LocalTaskExecutor;
import dev.urae.infra.exec.TaskExecutor;
import dev.urae.infra.exec.VisibleGpus;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStores;
import java.io.IOException;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ports of the embedded default: the object store and the local executor. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UraeProperties.class)
public class InfrastructureConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  ObjectStore objectStore(UraeProperties properties) throws IOException {
    return ObjectStores.open(properties.storeRoot());
  }

  @Bean
  @ConditionalOnMissingBean
  TaskWorker taskWorker() {
    return TaskWorker.discover();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "urae.executor", havingValue = "local", matchIfMissing = true)
  TaskExecutor localTaskExecutor(UraeProperties properties, TaskWorker worker) {
    int parallelism = properties.getParallelism() > 0
        ? properties.getParallelism()
        : LocalTaskExecutor.defaultParallelism();
    return new LocalTaskExecutor(parallelism, worker, Set.copyOf(properties.getGpuStages()),
        () -> VisibleGpus.devices(System.getenv(), () -> Engine.getEngine("PyTorch").getGpuCount()));
  }
}
