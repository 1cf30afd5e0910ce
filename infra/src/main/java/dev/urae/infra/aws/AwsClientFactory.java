package dev.urae.infra.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds every AWS client the same way: region from {@link AwsSettings} or the SDK chain,
 * credentials from the default chain, endpoint overrides for emulators (with path-style S3),
 * and no SDK-level retries on synchronous clients, because {@link AwsRetry} owns retrying.
 */
public final class AwsClientFactory {
  /** Used only when an emulator endpoint is set and nothing names a region. */
  static final String EMULATOR_REGION = "us-east-1";

  private final AwsSettings settings;
  private final AwsCredentialsProvider credentials;
  private final List<ExecutionInterceptor> interceptors;

  private AwsClientFactory(AwsSettings settings, AwsCredentialsProvider credentials, List<ExecutionInterceptor> interceptors) {
    this.settings = settings;
    this.credentials = credentials;
    this.interceptors = List.copyOf(interceptors);
  }

  public static AwsClientFactory create(AwsSettings settings) {
    return new AwsClientFactory(settings, DefaultCredentialsProvider.builder().build(), List.of());
  }

  /** The same factory with other credentials (tests against an emulator use dummy keys). */
  public AwsClientFactory withCredentials(AwsCredentialsProvider credentials) {
    return new AwsClientFactory(settings, Objects.requireNonNull(credentials, "credentials == null"), interceptors);
  }

  /** The same factory, with an interceptor added to every client it builds (call counting). */
  public AwsClientFactory withInterceptor(ExecutionInterceptor interceptor) {
    List<ExecutionInterceptor> all = new ArrayList<>(interceptors);
    all.add(Objects.requireNonNull(interceptor, "interceptor == null"));
    return new AwsClientFactory(settings, credentials, all);
  }

  public AwsSettings settings() {
    return settings;
  }

  public S3Client s3() {
    return configure(S3Client.builder(), "S3", false)
        .serviceConfiguration(s3Configuration())
        .build();
  }

  /**
   * The asynchronous S3 client behind the Transfer Manager: multipart uploads and downloads in
   * parallel parts. It keeps the SDK's own retries so a lost part is retried alone.
   */
  public S3AsyncClient s3Async(long multipartThresholdBytes, long partSizeBytes) {
    return configure(S3AsyncClient.builder(), "S3", true)
        .serviceConfiguration(s3Configuration())
        .multipartEnabled(true)
        .multipartConfiguration(m -> m.thresholdInBytes(multipartThresholdBytes).minimumPartSizeInBytes(partSizeBytes))
        .build();
  }

  /**
   * Path-style addressing when an endpoint override is set (emulators have no per-bucket DNS),
   * and no {@code Expect: 100-continue} there either: emulators answer it in ways the SDK's
   * asynchronous client takes for a final response.
   */
  private S3Configuration s3Configuration() {
    boolean emulator = settings.hasEndpointOverride("S3");
    return S3Configuration.builder()
        .pathStyleAccessEnabled(emulator)
        .expectContinueEnabled(!emulator)
        .build();
  }

  public BatchClient batch() {
    return configure(BatchClient.builder(), "Batch", false).build();
  }

  public SqsClient sqs() {
    return configure(SqsClient.builder(), "SQS", false).build();
  }

  /** Secrets Manager, with the SDK's own retries (a secret read is idempotent). */
  public SecretsManagerClient secretsManager() {
    return configure(SecretsManagerClient.builder(), "Secrets Manager", true).build();
  }

  /** Asynchronous SQS: a long poll in flight can be cancelled, which a blocking socket read cannot. */
  public SqsAsyncClient sqsAsync() {
    return configure(SqsAsyncClient.builder(), "SQS", false).build();
  }

  /** The region clients use: explicit, the SDK chain, or {@code us-east-1} for emulators. */
  public Region region() {
    if (settings.region().isPresent()) return Region.of(settings.region().get());
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException none) {
      if (settings.hasEndpointOverride("S3") || settings.hasEndpointOverride("Batch") || settings.hasEndpointOverride("SQS")) {
        return Region.of(EMULATOR_REGION);
      }
      throw new IllegalStateException(
          "no AWS region: set AWS_REGION (or urae.aws.region, or a region in your AWS profile)", none);
    }
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String serviceId, boolean sdkRetries) {
    builder.region(region()).credentialsProvider(credentials);
    settings.endpointFor(serviceId).ifPresent(builder::endpointOverride);
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
    if (!sdkRetries) override.retryStrategy(AwsRetryStrategy.doNotRetry());
    interceptors.forEach(override::addExecutionInterceptor);
    return builder.overrideConfiguration(override.build());
  }
}
