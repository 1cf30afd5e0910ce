package dev.urae.infra.s3;

import dev.urae.infra.aws.AwsErrors;
import dev.urae.infra.aws.AwsRetry;
import dev.urae.infra.store.Keys;
import dev.urae.infra.weights.ExpectedChecksum;
import dev.urae.infra.weights.WeightsFile;
import dev.urae.infra.weights.WeightsListing;
import dev.urae.infra.weights.WeightsSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A checkpoint under an S3 prefix ({@code s3://bucket/models/flux1-dev/}). Checksums, best
 * first: the object's {@code x-amz-meta-sha256} (urae's own uploads), S3's full-object SHA-256
 * additional checksum, the ETag (an MD5 unless SSE-KMS or SSE-C encrypted the object). Objects
 * with none of these are refused, with the upload command that gives them one. Made by
 * {@link S3ObjectStore#weights()}, so it reaches S3 exactly as the store does.
 */
public final class S3WeightsSource implements WeightsSource {
  private final S3Root root;
  private final S3Client s3;
  private final AwsRetry retry;

  /** Reads the checkpoint under {@code store}'s root with the store's client; the store stays open and owns it. */
  S3WeightsSource(S3Root root, S3Client s3, AwsRetry retry) {
    this.root = root;
    this.s3 = s3;
    this.retry = retry;
  }

  @Override
  public URI uri() {
    return root.uri();
  }

  @Override
  public WeightsListing list() throws IOException {
    List<WeightsFile> files = new ArrayList<>();
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page = call("ListObjectsV2", uri(),
          () -> s3.listObjectsV2(b -> b.bucket(root.bucket()).prefix(root.prefix()).continuationToken(continuation)));
      for (S3Object object : page.contents()) {
        if (object.key().endsWith("/")) continue; // "folder" placeholders made by consoles
        files.add(new WeightsFile(root.storeKey(object.key()), object.size(), object.eTag()));
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return new WeightsListing(uri(), files);
  }

  @Override
  public ExpectedChecksum checksum(WeightsFile file) throws IOException {
    URI where = uri(file);
    HeadObjectResponse head = call("HeadObject", where, () -> s3.headObject(
        b -> b.bucket(root.bucket()).key(root.s3Key(file.path())).checksumMode(ChecksumMode.ENABLED)));
    String sha = head.metadata().get(S3ObjectStore.SHA256_METADATA);
    if (sha == null) sha = S3ObjectStore.fullObjectSha256(head.checksumSHA256());
    if (sha != null) return new ExpectedChecksum.Sha256(sha);
    ServerSideEncryption sse = head.serverSideEncryption();
    boolean eTagIsNotMd5 = head.sseCustomerAlgorithm() != null
        || (sse != null && sse != ServerSideEncryption.AES256 && sse != ServerSideEncryption.UNKNOWN_TO_SDK_VERSION);
    if (eTagIsNotMd5) {
      throw new IOException(where + " has no SHA-256 checksum and its ETag is not an MD5 (" + sse
          + " encryption), so its copy cannot be verified: upload it again with a SHA-256 checksum, e.g. "
          + "aws s3 cp FILE " + where + " --checksum-algorithm SHA256 (single-part), or with x-amz-meta-sha256 set");
    }
    if (!file.multipart()) return ExpectedChecksum.ETag.singlePart(file.eTag());
    // The part size the upload used: S3 answers a HEAD for part 1 with that part's length.
    HeadObjectResponse first = call("HeadObject part 1", where,
        () -> s3.headObject(b -> b.bucket(root.bucket()).key(root.s3Key(file.path())).partNumber(1)));
    long partSize = first.contentLength();
    if (first.partsCount() == null || first.partsCount() != file.parts() || partSize <= 0
        || (file.size() + partSize - 1) / partSize != file.parts()) {
      throw new IOException(where + " is a multipart upload of " + file.parts() + " parts whose part size S3 does not tell ("
          + "part 1: " + partSize + " bytes, parts count " + first.partsCount() + "), so its ETag cannot be checked: "
          + "upload it with equal-sized parts (aws s3 cp does) or with x-amz-meta-sha256 set");
    }
    return new ExpectedChecksum.ETag(file.eTag(), partSize);
  }

  @Override
  public InputStream open(WeightsFile file) throws IOException {
    // Pinned to the listed ETag: a file replaced after the listing fails here instead of mixing versions.
    String quoted = "\"" + file.eTag() + "\"";
    return call("GetObject", uri(file),
        () -> s3.getObject(b -> b.bucket(root.bucket()).key(root.s3Key(file.path())).ifMatch(quoted)));
  }

  @Override
  public byte[] read(WeightsFile file, long offset, int length) throws IOException {
    if (offset < 0 || length < 0 || offset + length > file.size()) {
      throw new java.io.EOFException(uri(file) + " holds " + file.size() + " bytes, not bytes " + offset + " to " + (offset + length));
    }
    if (length == 0) return new byte[0];
    String quoted = "\"" + file.eTag() + "\"";
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    return call("GetObject " + range, uri(file), () -> s3.getObjectAsBytes(
        b -> b.bucket(root.bucket()).key(root.s3Key(file.path())).ifMatch(quoted).range(range))).asByteArray();
  }

  private URI uri(WeightsFile file) {
    return uri().resolve(Keys.asRelativeUri(file.path()));
  }

  private <T> T call(String what, URI where, AwsRetry.Call<T> call) throws IOException {
    try {
      return retry.call(what + " " + where, call);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted during " + what + " " + where);
    } catch (Exception e) {
      if (AwsErrors.isPreconditionFailed(e)) {
        throw new IOException(where + " changed after its listing (its ETag is no longer the listed one): "
            + "the checkpoint was uploaded again while this run used it; launch a new run", e);
      }
      throw AwsErrors.forStore(e, where);
    }
  }
}
