package dev.urae.infra.aws;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where AWS calls go: the region and, for emulators, endpoint overrides. Everything else
 * (credentials, profiles) is left to the SDK's default chains.
 *
 * <p>Endpoint precedence for a service: an explicit override ({@code urae.aws.endpoint}), then
 * {@code AWS_ENDPOINT_URL_<SERVICE>} (e.g. {@code AWS_ENDPOINT_URL_S3}), then
 * {@code AWS_ENDPOINT_URL}. Region: explicit, then the SDK's chain ({@code AWS_REGION},
 * profile, instance metadata).
 */
public final class AwsSettings {
  private final String region;
  private final URI endpoint;
  private final Map<String, String> environment;

  private AwsSettings(Builder builder) {
    this.region = builder.region;
    this.endpoint = builder.endpoint;
    this.environment = Map.copyOf(builder.environment);
  }

  /** Settings from this process's environment only. */
  public static AwsSettings fromEnvironment() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The explicit region, or empty to let the SDK's chain decide. */
  public Optional<String> region() {
    return Optional.ofNullable(region);
  }

  /**
   * The endpoint override for a service, by its SDK service id ({@code S3}, {@code Batch},
   * {@code SQS}), or empty for the real AWS endpoint.
   */
  public Optional<URI> endpointFor(String serviceId) {
    if (endpoint != null) return Optional.of(endpoint);
    String specific = environment.get("AWS_ENDPOINT_URL_" + serviceId.toUpperCase(Locale.ROOT).replace(' ', '_'));
    if (specific != null && !specific.isBlank()) return Optional.of(URI.create(specific.trim()));
    String general = environment.get("AWS_ENDPOINT_URL");
    if (general != null && !general.isBlank()) return Optional.of(URI.create(general.trim()));
    return Optional.empty();
  }

  /** True when any service is pointed at an override (an emulator): S3 then uses path-style. */
  public boolean hasEndpointOverride(String serviceId) {
    return endpointFor(serviceId).isPresent();
  }

  @Override
  public String toString() {
    return "AwsSettings[region=" + region + ", endpoint=" + endpoint + "]";
  }

  public static final class Builder {
    private String region;
    private URI endpoint;
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /** Region override; blank means "use the SDK chain". */
    public Builder optRegion(String region) {
      this.region = region == null || region.isBlank() ? null : region.trim();
      return this;
    }

    /** One endpoint for every service (emulators); blank means none. */
    public Builder optEndpoint(String endpoint) {
      this.endpoint = endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim());
      return this;
    }

    /** The environment to read {@code AWS_ENDPOINT_URL*} from (tests pass their own). */
    public Builder optEnvironment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment == null");
      return this;
    }

    public AwsSettings build() {
      if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
        throw new IllegalArgumentException("endpoint must be an absolute URL such as http://127.0.0.1:4566: " + endpoint);
      }
      return new AwsSettings(this);
    }
  }
}
