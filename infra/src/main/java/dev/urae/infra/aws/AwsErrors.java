package dev.urae.infra.aws;

import dev.urae.infra.store.NoSuchObjectException;
import dev.urae.infra.store.StoreAccessDeniedException;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place that says what an AWS SDK error means: throttling and server errors are worth
 * retrying with backoff; other 4xx are the caller's to fix and are rethrown; not-found and
 * access-denied become the object store's typed exceptions, keeping the {@code s3://} URI.
 */
public final class AwsErrors {
  private static final Set<String> THROTTLING_CODES = Set.of(
      "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException",
      "RequestThrottled", "RequestThrottledException", "SlowDown", "RequestLimitExceeded",
      "ProvisionedThroughputExceededException", "BandwidthLimitExceeded", "PriorRequestNotComplete",
      "EC2ThrottledException", "TransactionInProgressException");
  private static final Set<String> NOT_FOUND_CODES = Set.of("NoSuchKey", "NoSuchBucket", "NotFound", "404 Not Found");
  private static final Set<String> ACCESS_DENIED_CODES = Set.of(
      "AccessDenied", "AccessDeniedException", "Forbidden", "InvalidAccessKeyId", "SignatureDoesNotMatch",
      "AllAccessDisabled", "InvalidObjectState");

  private AwsErrors() {}

  /** The SDK exception inside the wrappers async calls add, or {@code e} itself. */
  public static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  public static boolean isThrottling(Throwable e) {
    Throwable t = unwrap(e);
    if (!(t instanceof AwsServiceException service)) return false;
    if (service.statusCode() == 429) return true;
    String code = errorCode(service);
    return code != null && THROTTLING_CODES.contains(code);
  }

  /** Throttling, any 5xx, or a transport failure (connection reset, timeout): retry with backoff. */
  public static boolean isRetryable(Throwable e) {
    Throwable t = unwrap(e);
    if (isThrottling(t)) return true;
    if (t instanceof AwsServiceException service) return service.statusCode() >= 500;
    if (t instanceof ApiCallAttemptTimeoutException) return true;
    if (t instanceof SdkClientException client) {
      // Transport problems carry an IOException cause; a bad request built locally does not.
      for (Throwable c = client.getCause(); c != null; c = c.getCause()) {
        if (c instanceof IOException) return true;
      }
      return client.retryable();
    }
    return false;
  }

  public static boolean isNotFound(Throwable e) {
    Throwable t = unwrap(e);
    if (!(t instanceof AwsServiceException service)) return false;
    String code = errorCode(service);
    return service.statusCode() == 404 || (code != null && NOT_FOUND_CODES.contains(code));
  }

  /** A conditional request ({@code If-Match}) whose condition did not hold: HTTP 412. */
  public static boolean isPreconditionFailed(Throwable e) {
    return unwrap(e) instanceof AwsServiceException service && service.statusCode() == 412;
  }

  public static boolean isAccessDenied(Throwable e) {
    Throwable t = unwrap(e);
    if (!(t instanceof AwsServiceException service)) return false;
    String code = errorCode(service);
    return service.statusCode() == 403 || (code != null && ACCESS_DENIED_CODES.contains(code));
  }

  /**
   * What a store caller sees for a failed call on {@code uri}: {@link NoSuchObjectException},
   * {@link StoreAccessDeniedException}, or an {@link IOException} naming the URI and the AWS
   * error code.
   */
  public static IOException forStore(Throwable e, URI uri) {
    Throwable t = unwrap(e);
    if (t instanceof IOException io) return io;
    if (isNotFound(t)) {
      NoSuchObjectException missing = new NoSuchObjectException(uri);
      missing.initCause(t);
      return missing;
    }
    if (isAccessDenied(t)) return new StoreAccessDeniedException(uri, t);
    return new IOException(describe(t) + ": " + uri, t);
  }

  /** A one-line account of an SDK error: code, status and message. */
  public static String describe(Throwable e) {
    Throwable t = unwrap(e);
    if (t instanceof AwsServiceException service) {
      String code = errorCode(service);
      return (code == null ? "AWS error" : code) + " (HTTP " + service.statusCode() + "): "
          + (service.awsErrorDetails() == null ? service.getMessage() : service.awsErrorDetails().errorMessage());
    }
    if (t instanceof SdkException) return t.getMessage();
    return t.toString();
  }

  private static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }
}
