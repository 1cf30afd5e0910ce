package dev.urae.infra.store;

import java.nio.file.Files;

/** The folder store honours the object-store contract. */
class FileObjectStoreTest extends ObjectStoreContract {
  @Override
  protected ObjectStore newStore() throws Exception {
    return new FileObjectStore(Files.createTempDirectory(scratch, "store-"));
  }
}
