package dev.urae.batch.aws;

import dev.urae.infra.store.ObjectLocation;

/** Where a run's objects go when no store is configured and the manifest is in S3. */
public final class StoreDefaults {
  /** The folder under the manifest's bucket that holds runs by default. */
  public static final String PREFIX = "urae/";

  private StoreDefaults() {}

  /** {@code s3://<manifest bucket>/urae/} for an {@code s3://} manifest, else {@code null}. */
  public static String forManifest(String manifest) {
    if (manifest == null || !manifest.startsWith("s3://")) return null;
    ObjectLocation location = ObjectLocation.parse(manifest);
    return location.storeRoot() + PREFIX;
  }
}
