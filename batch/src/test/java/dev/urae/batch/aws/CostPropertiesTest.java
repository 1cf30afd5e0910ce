package dev.urae.batch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.urae.infra.awsbatch.Capacity;
import dev.urae.infra.awsbatch.InstancePrices;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;

/** {@code urae.cost.*} as a user writes it in a properties file or on the command line. */
class CostPropertiesTest {
  @Test
  void anInstanceTypesPriceAndTheSpotFractionOverrideTheListPrices() {
    // given
    Binder binder = binder(Map.of("urae.cost.instance-price[g6e.2xlarge]", "1.5", "urae.cost.spot-fraction", "0.25"));

    // when
    InstancePrices prices = binder.bind("urae.cost", CostProperties.class).get().toPrices();

    // then: one hour of a job that needs a whole g6e.2xlarge, on-demand and on Spot
    assertThat(prices.estimate(1, 8, 60_000, 1, Capacity.ON_DEMAND, List.of("g6e.2xlarge")).orElseThrow().usd()).isEqualTo(1.5);
    assertThat(prices.estimate(1, 8, 60_000, 1, Capacity.SPOT, List.of("g6e.2xlarge")).orElseThrow().usd()).isEqualTo(0.375);
    assertThat(prices.label()).contains(InstancePrices.LIST_PRICES).contains("overrides").contains("Spot at 25%");
  }

  @Test
  void withoutOverridesTheListPricesApplyAndSaySo() {
    InstancePrices prices = binder(Map.of()).bindOrCreate("urae.cost", CostProperties.class).toPrices();

    assertThat(prices.estimate(1, 8, 60_000, 1, Capacity.ON_DEMAND, List.of("g6e")).orElseThrow().usd()).isEqualTo(2.24208);
    assertThat(prices.label()).isEqualTo(InstancePrices.LIST_PRICES + "; Spot at 50% of on-demand");
  }

  @Test
  void aPriceForATypeURAEDoesNotKnowIsRefusedByItsKey() {
    CostProperties cost = binder(Map.of("urae.cost.instance-price[x9.mega]", "3")).bind("urae.cost", CostProperties.class).get();

    assertThatThrownBy(cost::toPrices).hasMessageContaining("urae.cost.instance-price.x9.mega").hasMessageContaining("p5.48xlarge");
  }

  private static Binder binder(Map<String, Object> properties) {
    return new Binder(ConfigurationPropertySources.from(List.of(new MapPropertySource("test", properties))));
  }
}
