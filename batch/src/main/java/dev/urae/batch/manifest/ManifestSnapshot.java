package dev.urae.batch.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bytes of a manifest read exactly once, into a local file, with their SHA-256. The run's
 * identity is that digest and the run's copy is that file, so a manifest overwritten while a
 * run starts cannot make the run's identity and its input disagree.
 */
public final class ManifestSnapshot implements AutoCloseable {
  private final ManifestSource source;
  private final Path file;
  private final String sha256;

  private ManifestSnapshot(ManifestSource source, Path file, String sha256) {
    this.source = source;
    this.file = file;
    this.sha256 = sha256;
  }

  /** Reads {@code source} once; the file is deleted by {@link #close()}. */
  public static ManifestSnapshot take(ManifestSource source) throws IOException {
    Path file = Files.createTempFile("urae-manifest-", "." + source.format().extension());
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = source.open(); OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
      in.transferTo(out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return new ManifestSnapshot(source, file, HexFormat.of().formatHex(sha.digest()));
  }

  public ManifestSource source() {
    return source;
  }

  public Path file() {
    return file;
  }

  public String sha256() {
    return sha256;
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(file);
  }
}
