package dev.urae.model.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlowMatchEulerSamplerTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void exactVelocityRecoversTheDataPoint() {
    // given the true velocity of a straight path to x0 = 2: v(x, σ) = (x − x0)/σ
    NDArray noise = manager.create(new float[] {-1f, 0.5f, 3f});
    FlowMatchEulerSampler sampler = new FlowMatchEulerSampler(FlowMatchSchedule.sigmas(5, TimeShift.fixed(3)));

    // when
    NDArray x0 = sampler.sample((x, sigma) -> x.sub(2f).div(sigma), noise);

    // then
    assertThat(x0.toFloatArray()).containsExactly(new float[] {2f, 2f, 2f}, within(1e-5f));
  }

  @Test
  void eulerStepUsesTheSigmaDifference() {
    // given constant velocity 1 and schedule 1 → 0.75 → 0: x ← x + (σ_next − σ)·v
    FlowMatchEulerSampler sampler = new FlowMatchEulerSampler(new double[] {1.0, 0.75, 0.0});

    // when
    NDArray out = sampler.sample((x, sigma) -> x.onesLike(), manager.create(new float[] {10f}));

    // then
    assertThat(out.getFloat(0)).isEqualTo(9f);
  }

  @Test
  void sameSeedAndConfigurationGiveIdenticalImages() {
    try (FluxTransformer model = FluxTransformer.random(FluxPresets.TINY, 1, manager)) {
      // when
      float[] first = render(model, 42);
      float[] second = render(model, 42);
      float[] other = render(model, 43);

      // then
      assertThat(second).containsExactly(first);
      assertThat(other).isNotEqualTo(first);
    }
  }

  @Test
  void randomStateResumesTheSameSequence() {
    // given
    SeededRandom random = SeededRandom.seeded(5);
    random.gaussians(3);
    long state = random.state();

    // when
    double[] expected = {random.nextGaussian(), random.nextDouble(), SigmaSampler.logitNormal(0, 1).sample(random)};
    SeededRandom resumed = SeededRandom.fromState(state);
    double[] actual = {resumed.nextGaussian(), resumed.nextDouble(), SigmaSampler.logitNormal(0, 1).sample(resumed)};

    // then
    assertThat(actual).containsExactly(expected);
    assertThat(actual[2]).isStrictlyBetween(0.0, 1.0);
  }

  @Test
  void noisyStateAndTargetFollowTheStraightPath() {
    // given
    NDArray x0 = manager.create(new float[] {1f, 2f, 3f, 4f}, new Shape(2, 2));
    NDArray eps = manager.create(new float[] {0f, 0f, 1f, 1f}, new Shape(2, 2));
    NDArray sigma = manager.create(new float[] {0.25f, 1f});

    // when
    NDArray noisy = FlowMatching.noisy(x0, eps, sigma);

    // then: row 0 = 0.75·x0, row 1 = ε
    assertThat(noisy.toFloatArray()).containsExactly(0.75f, 1.5f, 1f, 1f);
    assertThat(FlowMatching.target(x0, eps).toFloatArray()).containsExactly(-1f, -2f, -2f, -3f);
    assertThat(FlowMatching.loss(x0, eps).getFloat()).isEqualTo((1f + 4f + 4f + 9f) / 4f);
  }

  private float[] render(FluxTransformer model, long seed) {
    SeededRandom random = SeededRandom.seeded(seed);
    NDArray noise = random.gaussian(manager, new Shape(1, 16, 16));
    NDArray txt = SeededRandom.seeded(9).gaussian(manager, new Shape(1, 3, 24));
    NDArray pooled = SeededRandom.seeded(9).gaussian(manager, new Shape(1, 20));
    NDArray guidance = manager.create(new float[] {3.5f});
    FlowMatchEulerSampler sampler = new FlowMatchEulerSampler(FlowMatchSchedule.sigmas(4, TimeShift.dynamic(16)));
    return sampler.sample((x, sigma) -> model.forward(x, txt, pooled, x.getManager().create(new float[] {sigma}), guidance, 8, 8), noise).toFloatArray();
  }
}
