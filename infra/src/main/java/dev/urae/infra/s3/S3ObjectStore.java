package dev.urae.infra.s3;

import dev.urae.infra.aws.AwsClientFactory;
import dev.urae.infra.aws.AwsErrors;
import dev.urae.infra.aws.AwsRetry;
import dev.urae.infra.store.Keys;
import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.infra.store.ObjectStore;
import dev.urae.infra.weights.WeightsSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * An object store under {@code s3://bucket/prefix/}.
 *
 * <p>Writes are atomic from a reader's view because S3 makes a PUT (and a completed multipart
 * upload) visible whole or not at all. Streams are never held whole in memory: up to
 * {@link #multipartThreshold} bytes are buffered to decide between one PUT and a multipart
 * upload; beyond that the stream spills to a temporary file that the Transfer Manager uploads
 * in parallel parts. Every object this store writes carries its SHA-256 as user metadata
 * ({@code x-amz-meta-sha256}), so {@link #stat} answers without reading the object.
 */
public final class S3ObjectStore implements ObjectStore {
  /** User-metadata key holding the lower-case hex SHA-256 of the content. */
  public static final String SHA256_METADATA = "sha256";
  static final long DEFAULT_MULTIPART_THRESHOLD = 16L << 20;
  static final long DEFAULT_PART_SIZE = 8L << 20;
  private static final int BUFFER = 1 << 16;

  private final S3Root root;
  private final S3Client s3;
  private final java.util.function.Supplier<S3AsyncClient> asyncFactory;
  private S3AsyncClient s3Async; // built on first large transfer: most objects never need it
  private S3TransferManager transfers;
  private final AwsRetry retry;
  private final long multipartThreshold;

  private S3ObjectStore(S3Root root, S3Client s3, java.util.function.Supplier<S3AsyncClient> asyncFactory,
      AwsRetry retry, long multipartThreshold) {
    this.root = root;
    this.s3 = s3;
    this.asyncFactory = asyncFactory;
    this.retry = retry;
    this.multipartThreshold = multipartThreshold;
  }

  /** Opens the store at {@code root} with clients from {@code clients}; the store owns them. */
  public static S3ObjectStore open(URI root, AwsClientFactory clients) {
    return open(root, clients, AwsRetry.standard(), DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE);
  }

  /**
   * Opens the store with an explicit multipart threshold and part size (S3 requires parts of
   * at least 5 MiB, except the last).
   */
  public static S3ObjectStore open(URI root, AwsClientFactory clients, AwsRetry retry, long multipartThreshold, long partSize) {
    if (partSize < (5L << 20)) throw new IllegalArgumentException("partSize below S3's 5 MiB minimum: " + partSize);
    if (multipartThreshold < partSize) throw new IllegalArgumentException("multipartThreshold < partSize: " + multipartThreshold);
    return new S3ObjectStore(S3Root.parse(root), clients.s3(), () -> clients.s3Async(multipartThreshold, partSize),
        retry, multipartThreshold);
  }

  @Override
  public URI root() {
    return root.uri();
  }

  public S3Root s3Root() {
    return root;
  }

  /** The checkpoint under this store's root, as a source for the model cache; read with this store's client. */
  public WeightsSource weights() {
    return new S3WeightsSource(root, s3, retry);
  }

  @Override
  public InputStream get(String key) throws IOException {
    String s3Key = root.s3Key(Keys.check(key));
    try {
      // Only opening the stream is retried: bytes already handed out cannot be taken back.
      ResponseInputStream<GetObjectResponse> in =
          retry.call("GetObject " + uri(key), () -> s3.getObject(b -> b.bucket(root.bucket()).key(s3Key)));
      return in;
    } catch (Exception e) {
      throw rethrow(e, key);
    }
  }

  /**
   * One version of an object. With only an ETag (S3 notifications carry no version id), the
   * current object is read if it still has that ETag ({@code If-Match}); when a later upload
   * replaced it, the bucket's versions are searched for the one with that ETag.
   */
  @Override
  public InputStream get(String key, String versionId, String eTag) throws IOException {
    if (versionId == null && eTag == null) return get(key);
    String s3Key = root.s3Key(Keys.check(key));
    String version = versionId;
    try {
      if (version == null) {
        String quoted = eTag.startsWith("\"") ? eTag : "\"" + eTag + "\"";
        try {
          return retry.call("GetObject " + uri(key) + " If-Match " + quoted,
              () -> s3.getObject(b -> b.bucket(root.bucket()).key(s3Key).ifMatch(quoted)));
        } catch (Exception e) {
          if (!AwsErrors.isPreconditionFailed(e)) throw e;
        }
        version = versionWithETag(s3Key, quoted);
        if (version == null) {
          throw new NoSuchObjectException(uri(key), "the version with ETag " + quoted + " of " + uri(key)
              + " was replaced by a later upload and the bucket keeps no earlier versions");
        }
      }
      String pinned = version;
      return retry.call("GetObject " + uri(key) + " version " + pinned,
          () -> s3.getObject(b -> b.bucket(root.bucket()).key(s3Key).versionId(pinned)));
    } catch (NoSuchObjectException e) {
      throw e;
    } catch (Exception e) {
      throw rethrow(e, key);
    }
  }

  private String versionWithETag(String s3Key, String quotedETag) throws Exception {
    var versions = retry.call("ListObjectVersions " + s3Key,
        () -> s3.listObjectVersionsPaginator(b -> b.bucket(root.bucket()).prefix(s3Key)).versions());
    for (var version : versions) {
      if (version.key().equals(s3Key) && quotedETag.equals(version.eTag()) && version.versionId() != null
          && !"null".equals(version.versionId())) {
        return version.versionId();
      }
    }
    return null;
  }

  @Override
  public ObjectInfo put(String key, InputStream data) throws IOException {
    Keys.check(key);
    MessageDigest sha = sha256();
    byte[] head = data.readNBytes((int) Math.min(multipartThreshold, Integer.MAX_VALUE - 8));
    if (head.length < multipartThreshold) {
      sha.update(head);
      String hex = HexFormat.of().formatHex(sha.digest());
      putSmall(key, RequestBody.fromBytes(head), hex);
      return new ObjectInfo(key, head.length, hex);
    }
    // Larger than one request: spill to disk (never to memory) and upload in parts.
    Path spill = Files.createTempFile("urae-s3-put-", ".part");
    try {
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(spill), sha)) {
        out.write(head);
        head = null;
        size = multipartThreshold + data.transferTo(out);
      }
      String hex = HexFormat.of().formatHex(sha.digest());
      uploadLarge(key, spill, hex);
      return new ObjectInfo(key, size, hex);
    } finally {
      Files.deleteIfExists(spill);
    }
  }

  @Override
  public ObjectInfo putFile(String key, Path file) throws IOException {
    Keys.check(key);
    long size = Files.size(file);
    String hex = sha256Hex(file);
    if (size < multipartThreshold) {
      putSmall(key, RequestBody.fromFile(file), hex);
    } else {
      uploadLarge(key, file, hex);
    }
    return new ObjectInfo(key, size, hex);
  }

  @Override
  public void getFile(String key, Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    // Download beside the target and move into place, so a failed download leaves no half file.
    Path temp = (parent == null ? Path.of(".") : parent).resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      ObjectInfo info = stat(key).orElseThrow(() -> new NoSuchObjectException(uri(key)));
      if (info.size() < multipartThreshold) {
        try (InputStream in = get(key)) {
          Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        String s3Key = root.s3Key(key);
        try {
          transfers().downloadFile(d -> d.getObjectRequest(g -> g.bucket(root.bucket()).key(s3Key)).destination(temp))
              .completionFuture().join();
        } catch (RuntimeException e) {
          throw rethrow(e, key);
        }
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public Optional<ObjectInfo> stat(String key) throws IOException {
    String s3Key = root.s3Key(Keys.check(key));
    HeadObjectResponse head;
    try {
      head = retry.call("HeadObject " + uri(key),
          () -> s3.headObject(b -> b.bucket(root.bucket()).key(s3Key).checksumMode(ChecksumMode.ENABLED)));
    } catch (Exception e) {
      if (AwsErrors.isNotFound(e)) return Optional.empty();
      throw rethrow(e, key);
    }
    String hex = head.metadata().get(SHA256_METADATA);
    if (hex == null) hex = fullObjectSha256(head.checksumSHA256());
    if (hex == null) hex = computeSha256(key); // written by someone else (a user's upload): read it once
    return Optional.of(new ObjectInfo(key, head.contentLength(), hex));
  }

  @Override
  public boolean exists(String key) throws IOException {
    String s3Key = root.s3Key(Keys.check(key));
    try {
      retry.call("HeadObject " + uri(key), () -> s3.headObject(b -> b.bucket(root.bucket()).key(s3Key)));
      return true;
    } catch (Exception e) {
      if (AwsErrors.isNotFound(e)) return false;
      throw rethrow(e, key);
    }
  }

  @Override
  public List<ObjectInfo> list(String prefix) throws IOException {
    Keys.checkPrefix(prefix);
    List<ObjectInfo> found = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
          .bucket(root.bucket()).prefix(root.s3Key(prefix)).continuationToken(token);
      ListObjectsV2Response page;
      try {
        page = retry.call("ListObjectsV2 " + root.uri() + prefix, () -> s3.listObjectsV2(request.build()));
      } catch (Exception e) {
        // An absent bucket lists nothing rather than failing, like an absent folder.
        if (AwsErrors.isNotFound(e)) return List.of();
        throw AwsErrors.forStore(e, URI.create(root.uri() + prefix));
      }
      for (S3Object object : page.contents()) {
        if (object.key().endsWith("/")) continue; // "folder" placeholders made by consoles
        found.add(new ObjectInfo(root.storeKey(object.key()), object.size(), null));
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    found.sort(Comparator.comparing(ObjectInfo::key));
    return found;
  }

  @Override
  public boolean delete(String key) throws IOException {
    boolean existed = exists(key);
    String s3Key = root.s3Key(key);
    try {
      retry.call("DeleteObject " + uri(key), () -> s3.deleteObject(b -> b.bucket(root.bucket()).key(s3Key)));
    } catch (Exception e) {
      throw rethrow(e, key);
    }
    return existed;
  }

  @Override
  public synchronized void close() {
    if (transfers != null) transfers.close();
    if (s3Async != null) s3Async.close();
    s3.close();
  }

  private synchronized S3TransferManager transfers() {
    if (transfers == null) {
      s3Async = asyncFactory.get();
      transfers = S3TransferManager.builder().s3Client(s3Async).build();
    }
    return transfers;
  }

  @Override
  public String toString() {
    return "S3ObjectStore[" + root.uri() + "]";
  }

  private void putSmall(String key, RequestBody body, String sha256Hex) throws IOException {
    String s3Key = root.s3Key(key);
    try {
      retry.call("PutObject " + uri(key), () -> s3.putObject(
          b -> b.bucket(root.bucket()).key(s3Key).metadata(Map.of(SHA256_METADATA, sha256Hex)), body));
    } catch (Exception e) {
      throw rethrow(e, key);
    }
  }

  private void uploadLarge(String key, Path file, String sha256Hex) throws IOException {
    String s3Key = root.s3Key(key);
    try {
      // The multipart client retries single parts itself; the object appears only on completion.
      transfers().uploadFile(u -> u.source(file).putObjectRequest(
              p -> p.bucket(root.bucket()).key(s3Key).metadata(Map.of(SHA256_METADATA, sha256Hex))))
          .completionFuture().join();
    } catch (RuntimeException e) {
      throw rethrow(e, key);
    }
  }

  private String computeSha256(String key) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = get(key)) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** S3's own SHA-256 when it covers the whole object (a multipart one ends in "-N" and does not). */
  static String fullObjectSha256(String base64) {
    if (base64 == null || base64.isBlank() || base64.contains("-")) return null;
    try {
      byte[] digest = Base64.getDecoder().decode(base64);
      return digest.length == 32 ? HexFormat.of().formatHex(digest) : null;
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  private IOException rethrow(Throwable e, String key) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new java.io.InterruptedIOException("interrupted while accessing " + uri(key));
    }
    return AwsErrors.forStore(e, uri(key));
  }

  private static String sha256Hex(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
