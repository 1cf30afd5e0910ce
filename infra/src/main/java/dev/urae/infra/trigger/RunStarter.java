package dev.urae.infra.trigger;

/**
 * Starts (registers) the run for one manifest version. Returning normally means the run is
 * registered, durably enough that the message may be deleted; the same upload handed over again
 * must not start a second run (the app's run identity guarantees it).
 */
@FunctionalInterface
public interface RunStarter {
  /**
   * @return the run id, for the log
   * @throws dev.urae.infra.store.NoSuchObjectException when the manifest is gone (a poison message)
   * @throws Exception anything else: the message stays and is redelivered later
   */
  String start(ManifestUpload upload) throws Exception;
}
