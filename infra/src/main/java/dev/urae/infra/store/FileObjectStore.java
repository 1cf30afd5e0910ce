package dev.urae.infra.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An object store in a local folder (the embedded default). Objects are files under the root;
 * writes go to a hidden temporary file beside the target and are renamed into place, so a
 * reader (or a crash) never sees half an object under its final name.
 */
public final class FileObjectStore implements ObjectStore {
  private static final String TEMP_MARKER = ".tmp-";
  private static final int BUFFER = 1 << 16;
  private static final long PID = ProcessHandle.current().pid();
  private static final java.util.concurrent.atomic.AtomicLong TEMP_COUNTER = new java.util.concurrent.atomic.AtomicLong();

  private final Path root;

  public FileObjectStore(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    Files.createDirectories(this.root);
  }

  public Path rootPath() {
    return root;
  }

  /** The local file that holds {@code key}; useful for workers that hand paths to native code. */
  public Path path(String key) {
    return root.resolve(Keys.check(key));
  }

  @Override
  public URI root() {
    return root.toUri();
  }

  @Override
  public InputStream get(String key) throws IOException {
    Path file = path(key);
    try {
      if (Files.isDirectory(file)) throw new NoSuchObjectException(uri(key));
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(uri(key));
    } catch (AccessDeniedException e) {
      throw new StoreAccessDeniedException(uri(key), e);
    }
  }

  @Override
  public ObjectInfo put(String key, InputStream data) throws IOException {
    Path target = path(key);
    Files.createDirectories(target.getParent());
    // pid + counter: unique across processes and threads, and cheaper than a random UUID
    Path temp = target.resolveSibling("." + target.getFileName() + TEMP_MARKER + PID + "-" + TEMP_COUNTER.incrementAndGet());
    MessageDigest sha = sha256();
    long size;
    try {
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
        size = data.transferTo(out);
      }
      moveIntoPlace(temp, target);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      if (e instanceof AccessDeniedException) throw new StoreAccessDeniedException(uri(key), e);
      throw e;
    }
    return new ObjectInfo(key, size, HexFormat.of().formatHex(sha.digest()));
  }

  @Override
  public ObjectInfo putFile(String key, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return put(key, in);
    }
  }

  @Override
  public void getFile(String key, Path target) throws IOException {
    try (InputStream in = get(key)) {
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    Path file = path(key);
    if (!Files.isRegularFile(file)) return Optional.empty();
    MessageDigest sha = sha256();
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
        size += n;
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(new ObjectInfo(key, size, HexFormat.of().formatHex(sha.digest())));
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(path(key));
  }

  @Override
  public List<ObjectInfo> list(String prefix) throws IOException {
    Keys.checkPrefix(prefix);
    // Walk only the deepest folder the prefix names, then filter by the full prefix.
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    if (!Files.isDirectory(start)) return List.of();
    List<ObjectInfo> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(start)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!Files.isRegularFile(file) || file.getFileName().toString().contains(TEMP_MARKER)) continue;
        String key = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        if (key.startsWith(prefix)) found.add(new ObjectInfo(key, Files.size(file), null));
      }
    }
    found.sort(java.util.Comparator.comparing(ObjectInfo::key));
    return found;
  }

  @Override
  public boolean delete(String key) throws IOException {
    Path file = path(key);
    boolean existed = Files.deleteIfExists(file);
    pruneEmptyParents(file.getParent());
    return existed;
  }

  @Override
  public String toString() {
    return "FileObjectStore[" + root + "]";
  }

  private void pruneEmptyParents(Path dir) throws IOException {
    while (dir != null && dir.startsWith(root) && !dir.equals(root)) {
      if (!Files.isDirectory(dir)) { // already pruned (deleting an absent key): look further up
        dir = dir.getParent();
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        if (entries.iterator().hasNext()) return;
      }
      try {
        Files.delete(dir);
      } catch (IOException raced) {
        return; // another writer just put something there: keep the folder
      }
      dir = dir.getParent();
    }
  }

  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
