package dev.urae.batch.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A run's identity: a digest of the manifest's bytes and the effective configuration. The same
 * upload delivered twice is one run; a changed manifest or configuration is a new one;
 * {@code --rerun} adds a nonce to force a new one.
 */
public final class RunIdentity {
  private RunIdentity() {}

  /**
   * @param manifestSha256 hex SHA-256 of the manifest's bytes
   * @param nonce          null normally; a fresh value for {@code --rerun}
   * @return 16 lower-case hex characters
   */
  public static String runId(String manifestSha256, RunConfig config, String nonce) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(("manifest:" + manifestSha256 + "\nconfig:" + config.toJson()).getBytes(StandardCharsets.UTF_8));
      if (nonce != null) sha.update(("\nrerun:" + nonce).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
