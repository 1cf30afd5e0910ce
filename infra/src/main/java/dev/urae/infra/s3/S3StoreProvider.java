package dev.urae.infra.s3;

import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.AwsSettings;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStoreProvider;
import java.net.URI;

/**
 * Opens {@code s3://} roots with clients configured from the environment (region chain,
 * credentials chain, {@code AWS_ENDPOINT_URL[_S3]}). Listed in
 * {@code META-INF/services/dev.urae.infra.store.ObjectStoreProvider}.
 */
public final class S3StoreProvider implements ObjectStoreProvider {
  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public ObjectStore open(URI root) {
    return S3ObjectStore.open(root, AwsClientFactory.create(AwsSettings.fromEnvironment()));
  }
}
