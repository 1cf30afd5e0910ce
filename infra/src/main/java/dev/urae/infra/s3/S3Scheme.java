package dev.urae.infra.s3;

import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.AwsSettings;
import dev.urae.infra.store.ObjectStores;

/** Registers {@code s3://} roots with {@link ObjectStores}; safe to call more than once. */
public final class S3Scheme {
  private S3Scheme() {}

  /** {@code s3://} roots open with clients configured from the environment. */
  public static void register() {
    register(AwsSettings.fromEnvironment());
  }

  /** {@code s3://} roots open with clients configured from {@code settings}. */
  public static void register(AwsSettings settings) {
    AwsClientFactory clients = AwsClientFactory.create(settings);
    ObjectStores.register("s3", root -> S3ObjectStore.open(root, clients));
  }
}
