package dev.urae.infra.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder on local disk (on AWS Batch GPU instances: the NVMe instance store, shared by every
 * task on the instance) holding remote checkpoints, one sub-folder per listing digest.
 *
 * <p>A checkpoint is copied once per instance: the first task to stage it takes a lock (a file
 * lock for other processes, a lock per file path for other threads of this one, since Java's
 * file locks belong to the whole JVM), copies each file to a temporary name beside its target,
 * verifies the bytes against the file's {@link ExpectedChecksum} while they stream, and renames
 * them into place atomically; then it writes {@code <digest>.complete}. A task that finds the
 * marker and every file at its listed size uses the folder at once, without the lock. A task
 * killed mid-copy leaves only verified files under their final names, so the next one copies
 * just the rest.
 */
public final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
  private static final int ATTEMPTS_PER_FILE = 3;
  private static final int BUFFER = 1 << 20;

  private final Path root;

  public ModelCache(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Lists {@code source} and stages what it lists. */
  public StagedWeights stage(WeightsSource source) throws IOException, InterruptedException {
    return stage(source, source.list());
  }

  /**
   * Makes the listed files present and verified under {@code <root>/<digest hex>/}.
   *
   * @throws IOException naming the remote file when its bytes do not match its checksum (after
   *     {@value #ATTEMPTS_PER_FILE} attempts), when it has no checksum to verify against, or when
   *     the cache's disk lacks the space
   */
  public StagedWeights stage(WeightsSource source, WeightsListing listing) throws IOException, InterruptedException {
    String digest = listing.digest();
    String hex = digest.substring(digest.indexOf(':') + 1);
    Path folder = root.resolve(hex);
    Path marker = root.resolve(hex + ".complete");
    if (isComplete(folder, marker, listing)) return new StagedWeights(folder, digest, 0, 0);

    Files.createDirectories(root);
    Path lockFile = root.resolve(hex + ".lock");
    ReentrantLock threads = IN_PROCESS.computeIfAbsent(lockFile, k -> new ReentrantLock());
    threads.lockInterruptibly();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock processes = channel.lock()) {
      if (isComplete(folder, marker, listing)) return new StagedWeights(folder, digest, 0, 0);
      return copy(source, listing, folder, marker);
    } finally {
      threads.unlock();
    }
  }

  private StagedWeights copy(WeightsSource source, WeightsListing listing, Path folder, Path marker)
      throws IOException, InterruptedException {
    long missing = 0;
    for (WeightsFile file : listing.files()) {
      if (!present(folder, file)) missing += file.size();
    }
    Files.createDirectories(folder);
    long free = Files.getFileStore(folder).getUsableSpace();
    if (missing > free) {
      throw new IOException("model cache " + root + " has " + free + " bytes free but " + source.uri() + " needs "
          + missing + " more: point urae.model-cache (URAE_MODELCACHE) at a larger disk or free space there");
    }
    LOG.info("staging {} ({} files, {} bytes to copy) into {}", source.uri(), listing.files().size(), missing, folder);
    int files = 0;
    long bytes = 0;
    for (WeightsFile file : listing.files()) {
      if (present(folder, file)) continue;
      copyVerified(source, file, folder.resolve(file.path()));
      files++;
      bytes += file.size();
    }
    writeAtomically(marker, listing.digest() + "\n" + source.uri() + "\n");
    LOG.info("staged {} into {}: {} files, {} bytes copied", source.uri(), folder, files, bytes);
    return new StagedWeights(folder, listing.digest(), files, bytes);
  }

  private static void copyVerified(WeightsSource source, WeightsFile file, Path target) throws IOException, InterruptedException {
    ExpectedChecksum expected = source.checksum(file);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".part-" + UUID.randomUUID());
    String problem = null;
    try {
      for (int attempt = 1; attempt <= ATTEMPTS_PER_FILE; attempt++) {
        if (Thread.interrupted()) throw new InterruptedException("interrupted while staging " + source.uri() + file.path());
        try {
          problem = download(source, file, expected, temp);
        } catch (IOException e) {
          if (attempt == ATTEMPTS_PER_FILE) throw e;
          LOG.warn("copying {}{} failed (attempt {} of {}): {}", source.uri(), file.path(), attempt, ATTEMPTS_PER_FILE, e.toString());
          continue;
        }
        if (problem == null) {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          return;
        }
        LOG.warn("copy of {}{} does not match its checksum (attempt {} of {}): {}", source.uri(), file.path(), attempt,
            ATTEMPTS_PER_FILE, problem);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    throw new IOException(source.uri() + file.path() + " read " + ATTEMPTS_PER_FILE + " times, never matching its checksum ("
        + problem + "): the object changed during staging or the transfer corrupts data; launch again once the upload is complete");
  }

  /** Copies one file to {@code temp}; returns null when its bytes match, else the mismatch. */
  private static String download(WeightsSource source, WeightsFile file, ExpectedChecksum expected, Path temp) throws IOException {
    ExpectedChecksum.Check check = expected.start();
    long copied = 0;
    try (InputStream in = source.open(file);
         OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) > 0; ) {
        check.update(buffer, 0, n);
        out.write(buffer, 0, n);
        copied += n;
      }
    }
    if (copied != file.size()) return copied + " bytes, expected " + file.size();
    return check.mismatch();
  }

  /** A file under its final name was verified before the rename that put it there. */
  private static boolean present(Path folder, WeightsFile file) throws IOException {
    Path target = folder.resolve(file.path());
    return Files.isRegularFile(target) && Files.size(target) == file.size();
  }

  private static boolean isComplete(Path folder, Path marker, WeightsListing listing) throws IOException {
    if (!Files.isRegularFile(marker)) return false;
    String recorded = Files.readString(marker, StandardCharsets.UTF_8).lines().findFirst().orElse("");
    if (!recorded.equals(listing.digest())) return false;
    for (WeightsFile file : listing.files()) {
      if (!present(folder, file)) return false;
    }
    return true;
  }

  private static void writeAtomically(Path target, String text) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
