package dev.urae.infra.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.store.ObjectStores;
import java.net.URI;
import org.junit.jupiter.api.Test;

class S3StoreProviderTest {
  @Test
  void s3RootsOpenWithoutRegistrationThroughTheServiceLoader() throws Exception {
    // given: a region, so building clients asks nothing of the network
    String before = System.getProperty("aws.region");
    System.setProperty("aws.region", "us-east-1");
    try (ObjectStore store = ObjectStores.open("s3://some-bucket/urae/")) {
      // then
      assertThat(store).isInstanceOf(S3ObjectStore.class);
      assertThat(store.root()).isEqualTo(URI.create("s3://some-bucket/urae/"));
    } finally {
      if (before == null) System.clearProperty("aws.region");
      else System.setProperty("aws.region", before);
    }
  }
}
