package dev.urae.model.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProdigyTest {
  private static final float[] TARGET = {3f, -1f, 0.5f};
  private final NDManager manager = NDManager.newBaseManager();

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void firstStepMovesEachCoordinateByAboutD0AgainstTheGradient() {
    // given x₀ = (1, 1, 1) and the gradient of ‖x − t‖², which is 2·(x − t)
    Map<String, NDArray> params = params(new float[] {1, 1, 1});
    Prodigy prodigy = Prodigy.urae();

    // when
    prodigy.step(params, gradients(params));

    // then by hand: r₀ = 0 so d stays d₀ = 1e-6; η = d₀·sqrt(1−β₂)/(1−β₁) = 3.1623e-7;
    // m = 0.1·d₀·g, sqrt(v) = sqrt(0.001)·d₀·|g|, so the Adam step is η·sign(g)·0.1/sqrt(0.001) = 1e-6·sign(g)
    float[] x = params.get("x").toFloatArray();
    assertThat(prodigy.d()).isEqualTo(1e-6);
    double ulp = Math.ulp(1f);
    assertThat((double) x[0]).isCloseTo(1 + 1e-6, within(ulp));
    assertThat((double) x[1]).isCloseTo(1 - 1e-6, within(ulp));
    assertThat((double) x[2]).isCloseTo(1 - 1e-6, within(ulp));
    assertThat(prodigy.learningRate()).isCloseTo(1e-6 * Math.sqrt(0.001) / 0.1, within(1e-15));
  }

  @Test
  void followsTheUpdateRuleComputedByHand() {
    // given
    Map<String, NDArray> params = params(new float[] {1, 1, 1});
    Prodigy prodigy = Prodigy.urae();
    HandProdigy reference = new HandProdigy(new double[] {1, 1, 1});

    // when twenty steps of each
    for (int step = 0; step < 20; step++) {
      prodigy.step(params, gradients(params));
      reference.step();
    }

    // then
    float[] x = params.get("x").toFloatArray();
    for (int i = 0; i < 3; i++) assertThat((double) x[i]).isCloseTo(reference.x[i], within(2 * (double) Math.ulp((float) reference.x[i])));
    assertThat(prodigy.d()).isCloseTo(reference.d, within(1e-3 * reference.d));
    assertThat(prodigy.d()).isGreaterThan(1e-6); // d grew: the estimate adapts
  }

  @Test
  void resumesFromItsStateExactly() {
    // given two optimizers that ran 3 steps; the second is rebuilt from the first's state
    Map<String, NDArray> a = params(new float[] {1, 2, 3});
    Prodigy first = Prodigy.urae();
    for (int i = 0; i < 3; i++) first.step(a, gradients(a));
    Map<String, NDArray> b = params(a.get("x").toFloatArray());
    Prodigy second = Prodigy.urae();
    second.restore(first.state());

    // when both continue
    for (int i = 0; i < 4; i++) {
      first.step(a, gradients(a));
      second.step(b, gradients(b));
    }

    // then
    assertThat(b.get("x").toFloatArray()).containsExactly(a.get("x").toFloatArray());
    assertThat(second.d()).isEqualTo(first.d());
  }

  private Map<String, NDArray> params(float[] x) {
    Map<String, NDArray> params = new LinkedHashMap<>();
    params.put("x", manager.create(x.clone()));
    return params;
  }

  private Map<String, NDArray> gradients(Map<String, NDArray> params) {
    NDArray x = params.get("x");
    return Map.of("x", x.sub(manager.create(TARGET)).muli(2));
  }

  /** Prodigy written out in doubles, one coordinate at a time, straight from the update rule. */
  static final class HandProdigy {
    final double[] x;
    final double[] x0;
    final double[] m = new double[3];
    final double[] v = new double[3];
    final double[] s = new double[3];
    double d = 1e-6;
    double r = 0;
    int k = 0;

    HandProdigy(double[] start) {
      x = start.clone();
      x0 = start.clone();
    }

    void step() {
      double b1 = 0.9;
      double b2 = 0.999;
      double b3 = Math.sqrt(b2);
      double d0 = 1e-6;
      double eta = d * Math.sqrt(1 - Math.pow(b2, k + 1)) / (1 - Math.pow(b1, k + 1));
      double[] g = new double[3];
      for (int i = 0; i < 3; i++) g[i] = 2 * (x[i] - TARGET[i]);
      r *= b3;
      double l1 = 0;
      for (int i = 0; i < 3; i++) {
        r += (d / d0) * eta * g[i] * (x0[i] - x[i]);
        m[i] = b1 * m[i] + d * (1 - b1) * g[i];
        v[i] = b2 * v[i] + d * d * (1 - b2) * g[i] * g[i];
        s[i] = b3 * s[i] + (d / d0) * d * g[i];
        l1 += Math.abs(s[i]);
      }
      d = Math.max(d, r / l1);
      for (int i = 0; i < 3; i++) {
        double decayed = x[i] - 1e-4 * eta * x[i];
        // parameters are float32: round where the optimizer stores them
        x[i] = (float) (decayed - eta * m[i] / (Math.sqrt(v[i]) + d * 1e-8));
      }
      k++;
    }
  }
}
