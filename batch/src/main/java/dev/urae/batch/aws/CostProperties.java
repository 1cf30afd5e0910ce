package dev.urae.batch.aws;

import dev.urae.infra.awsbatch.InstancePrices;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code urae.cost.*}: overrides of the price table behind the report's estimated cost. Unset
 * figures keep {@link InstancePrices#LIST_PRICES}:
 * <pre>
 * urae.cost.instance-price.g6e.2xlarge=1.35   # USD per hour, e.g. your region's or a discount
 * urae.cost.spot-fraction=0.35                 # Spot as a fraction of on-demand (default 0.5)
 * urae.cost.fargate-vcpu-hour=0.04048
 * urae.cost.fargate-gib-hour=0.004445
 * </pre>
 */
@ConfigurationProperties(prefix = "urae.cost")
public class CostProperties {
  private Map<String, Double> instancePrice = new LinkedHashMap<>();
  private double spotFraction = InstancePrices.DEFAULT_SPOT_FRACTION;
  private double fargateVcpuHour = InstancePrices.DEFAULT_FARGATE_VCPU_HOUR;
  private double fargateGibHour = InstancePrices.DEFAULT_FARGATE_GIB_HOUR;

  public Map<String, Double> getInstancePrice() {
    return instancePrice;
  }

  public void setInstancePrice(Map<String, Double> instancePrice) {
    this.instancePrice = instancePrice;
  }

  public double getSpotFraction() {
    return spotFraction;
  }

  public void setSpotFraction(double spotFraction) {
    this.spotFraction = spotFraction;
  }

  public double getFargateVcpuHour() {
    return fargateVcpuHour;
  }

  public void setFargateVcpuHour(double fargateVcpuHour) {
    this.fargateVcpuHour = fargateVcpuHour;
  }

  public double getFargateGibHour() {
    return fargateGibHour;
  }

  public void setFargateGibHour(double fargateGibHour) {
    this.fargateGibHour = fargateGibHour;
  }

  /** The price table: list prices with these overrides; an unknown instance type is refused by its key. */
  public InstancePrices toPrices() {
    InstancePrices.Builder prices = InstancePrices.builder().optSpotFraction(spotFraction);
    if (fargateVcpuHour != InstancePrices.DEFAULT_FARGATE_VCPU_HOUR || fargateGibHour != InstancePrices.DEFAULT_FARGATE_GIB_HOUR) {
      prices.optFargate(fargateVcpuHour, fargateGibHour);
    }
    instancePrice.forEach(prices::optInstancePrice);
    return prices.build();
  }
}
