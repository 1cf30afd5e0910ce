package dev.urae.infra.weights;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files of a remote checkpoint, sorted by path, and the digest that names them.
 *
 * <p>The digest is a SHA-256 over each file's path, size and ETag, one line per file. Reading
 * a 24 GB checkpoint to hash its content at every launch would cost minutes; the listing costs
 * one request per thousand files and still changes whenever any file's content does (S3 gives a
 * new ETag to every new upload of different bytes). The content itself is verified once, when
 * the cache copies it ({@link ModelCache}).
 */
public record WeightsListing(URI source, List<WeightsFile> files) {
  public WeightsListing {
    Objects.requireNonNull(source, "source == null");
    files = files.stream().sorted(Comparator.comparing(WeightsFile::path)).toList();
  }

  /** {@code sha256:<hex>} of the listing (paths, sizes, ETags). */
  public String digest() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
    for (WeightsFile file : files) {
      sha.update((file.path() + "\t" + file.size() + "\t" + file.eTag() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  public Set<String> paths() {
    Set<String> paths = new TreeSet<>();
    files.forEach(f -> paths.add(f.path()));
    return paths;
  }

  public long totalBytes() {
    return files.stream().mapToLong(WeightsFile::size).sum();
  }
}
