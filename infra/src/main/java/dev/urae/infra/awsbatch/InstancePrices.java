package dev.urae.infra.awsbatch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The price table behind a run's estimated cost: per instance type its vCPUs, memory, GPUs and
 * hourly price (defaults: on-demand list prices of the types the Terraform module allows, see
 * {@code list-prices.csv}), Fargate's per-vCPU and per-GiB hourly prices, and the fraction of
 * on-demand that Spot is assumed to cost. Every figure can be overridden ({@code urae.cost.*}).
 *
 * <p>An attempt on EC2 is charged its share of the cheapest allowed instance type that holds it
 * (the largest of its GPU, vCPU and memory fractions): Batch packs jobs onto instances, and the
 * instance it chose is not in DescribeJobs.
 */
public final class InstancePrices {
  /** What the defaults are, shown next to every estimate. */
  public static final String LIST_PRICES = "on-demand list prices, us-east-1, 2025-06";
  /** Spot GPU prices move daily, typically 30-70% below on-demand; the middle is assumed. */
  public static final double DEFAULT_SPOT_FRACTION = 0.5;
  public static final double DEFAULT_FARGATE_VCPU_HOUR = 0.04048;
  public static final double DEFAULT_FARGATE_GIB_HOUR = 0.004445;
  /** The ECS agent and the kernel keep some memory: a job gets at most this share of an instance's. */
  private static final double ALLOCATABLE_MEMORY = 0.95;

  /** One instance type: what it offers and what an hour of it costs. */
  public record InstanceType(String name, int vcpus, long memoryMib, int gpus, double usdPerHour) {
    boolean holds(double jobVcpus, long jobMemoryMib, int jobGpus) {
      return jobVcpus <= vcpus && jobMemoryMib <= memoryMib * ALLOCATABLE_MEMORY && jobGpus <= gpus;
    }

    /** The job's share of this instance: its largest fraction of the GPUs, vCPUs or memory. */
    double share(double jobVcpus, long jobMemoryMib, int jobGpus) {
      double share = Math.max(jobVcpus / vcpus, (double) jobMemoryMib / memoryMib);
      if (gpus > 0) share = Math.max(share, (double) jobGpus / gpus);
      return Math.min(1.0, share);
    }
  }

  /** An attempt's estimated cost and the instance type it assumed (null on Fargate). */
  public record Estimate(String instanceType, double usd) {}

  private final Map<String, InstanceType> types;
  private final double spotFraction;
  private final double fargateVcpuHour;
  private final double fargateGibHour;
  private final String label;

  private InstancePrices(Builder b) {
    this.types = Map.copyOf(b.types);
    this.spotFraction = b.spotFraction;
    this.fargateVcpuHour = b.fargateVcpuHour;
    this.fargateGibHour = b.fargateGibHour;
    this.label = b.label;
  }

  /** The defaults: {@link #LIST_PRICES}. */
  public static InstancePrices listPrices() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where the prices come from and what Spot is assumed to cost, for the report. */
  public String label() {
    return label + "; Spot at " + Math.round(spotFraction * 100) + "% of on-demand";
  }

  /**
   * The estimated cost of {@code hours} of a job reserving {@code vcpus}, {@code memoryMib} and
   * {@code gpus} on {@code capacity}, where the compute environment may launch {@code allowed}
   * (instance types or families such as {@code g6e}; empty or {@code optimal}: any priced type).
   * Empty when no priced type holds the job. {@link Capacity#UNKNOWN} is priced as on-demand.
   */
  public Optional<Estimate> estimate(double hours, double vcpus, long memoryMib, int gpus, Capacity capacity,
      List<String> allowed) {
    double factor = capacity.isSpot() ? spotFraction : 1.0;
    if (capacity.isFargate()) {
      return Optional.of(new Estimate(null, hours * factor * (vcpus * fargateVcpuHour + memoryMib / 1024.0 * fargateGibHour)));
    }
    return types.values().stream()
        .filter(type -> isAllowed(type.name(), allowed) && type.holds(vcpus, memoryMib, gpus))
        .map(type -> new Estimate(type.name(), hours * factor * type.usdPerHour() * type.share(vcpus, memoryMib, gpus)))
        .min(Comparator.comparingDouble(Estimate::usd).thenComparing(Estimate::instanceType));
  }

  private static boolean isAllowed(String type, List<String> allowed) {
    if (allowed.isEmpty() || allowed.contains("optimal")) return true;
    String family = type.substring(0, type.indexOf('.'));
    return allowed.contains(type) || allowed.contains(family);
  }

  /** Builder: starts from the list prices; every {@code opt} overrides one figure. */
  public static final class Builder {
    private final Map<String, InstanceType> types = new LinkedHashMap<>(readListPrices());
    private double spotFraction = DEFAULT_SPOT_FRACTION;
    private double fargateVcpuHour = DEFAULT_FARGATE_VCPU_HOUR;
    private double fargateGibHour = DEFAULT_FARGATE_GIB_HOUR;
    private String label = LIST_PRICES;
    private boolean overridden;

    private Builder() {}

    /** The hourly price of a type the module allows ({@code urae.cost.instance-price.<type>}). */
    public Builder optInstancePrice(String type, double usdPerHour) {
      InstanceType known = types.get(type);
      if (known == null) {
        throw new IllegalArgumentException("urae.cost.instance-price." + type + ": not an instance type URAE knows the vCPUs,"
            + " memory and GPUs of; it knows " + String.join(", ", types.keySet()));
      }
      types.put(type, new InstanceType(type, known.vcpus(), known.memoryMib(), known.gpus(), requirePrice("instance-price." + type, usdPerHour)));
      overridden = true;
      return this;
    }

    /** What Spot costs as a fraction of on-demand, in (0, 1] ({@code urae.cost.spot-fraction}). */
    public Builder optSpotFraction(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("urae.cost.spot-fraction must be in (0, 1], was " + fraction);
      this.spotFraction = fraction;
      return this;
    }

    /** Fargate's USD per vCPU-hour and per GiB-hour ({@code urae.cost.fargate-vcpu-hour}, {@code fargate-gib-hour}). */
    public Builder optFargate(double usdPerVcpuHour, double usdPerGibHour) {
      this.fargateVcpuHour = requirePrice("fargate-vcpu-hour", usdPerVcpuHour);
      this.fargateGibHour = requirePrice("fargate-gib-hour", usdPerGibHour);
      overridden = true;
      return this;
    }

    public InstancePrices build() {
      if (overridden) label = LIST_PRICES + " with overrides (urae.cost.*)";
      return new InstancePrices(this);
    }

    private static double requirePrice(String key, double usd) {
      if (!(usd >= 0) || Double.isInfinite(usd)) throw new IllegalArgumentException("urae.cost." + key + " must be a price >= 0 in USD, was " + usd);
      return usd;
    }
  }

  private static Map<String, InstanceType> readListPrices() {
    Map<String, InstanceType> types = new LinkedHashMap<>();
    try (InputStream in = Objects.requireNonNull(InstancePrices.class.getResourceAsStream("list-prices.csv"), "list-prices.csv");
         BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.split(",");
        types.put(f[0], new InstanceType(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]) * 1024, Integer.parseInt(f[3]), Double.parseDouble(f[4])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the list prices bundled with URAE", e);
    }
    return types;
  }
}
