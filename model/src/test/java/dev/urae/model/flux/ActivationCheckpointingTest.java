package dev.urae.model.flux;

import static dev.urae.model.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.urae.model.flow.FlowMatching;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.LinearAdapter;
import dev.urae.model.nn.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivationCheckpointingTest {

  @Test
  void checkpointedGradientsEqualThePlainBackwardPass() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // when the same step runs plainly and with checkpointing, block inputs kept in float32
      Step step = plainAndCheckpointed(Precision.FP32, manager);

      // then the loss and every parameter's gradient agree within 1e-5 relative
      assertThat(step.checkpointedLoss).isCloseTo(step.plainLoss, withPercentage(1e-3));
      for (int i = 0; i < step.plain.size(); i++) assertClose("gradient " + i, step.checkpointed.get(i), step.plain.get(i), 1e-5);
      assertThat(step.plain.get(0).abs().sum().getFloat()).as("the conditioning's adapters get a gradient").isPositive();
    }
  }

  @Test
  void blockInputsKeptInBf16GiveTheGradientsWithinBf16Rounding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // when the checkpointed pass keeps its block inputs in bf16 (the tiny model's weights are
      // float32 and both passes run attention in bf16, so only the kept inputs differ from the plain pass)
      Step step = plainAndCheckpointed(Precision.BF16, manager);

      // then the loss is the plain forward pass's, and every gradient moves by bf16's rounding of
      // the recomputation's inputs only (8 significant bits, 0.4% per value; through the blocks and
      // back the measured worst is 1.2% of the gradient's largest value: bound 5%); a block
      // recomputed from a wrong input moves it by the order of the gradient itself
      assertThat(step.checkpointedLoss).isCloseTo(step.plainLoss, withPercentage(1e-3));
      for (int i = 0; i < step.plain.size(); i++) assertClose("gradient " + i, step.checkpointed.get(i), step.plain.get(i), 0.05);
    }
  }

  private record Step(float plainLoss, NDList plain, float checkpointedLoss, NDList checkpointed) {}

  /** One training step of the tiny model run plainly, then with checkpointing under {@code precision}; gradients copied into {@code manager}. */
  private static Step plainAndCheckpointed(Precision precision, NDManager manager) {
    try (FluxTransformer model = FluxTransformer.random(FluxPresets.TINY, 3, manager)) {
      // given low-rank deltas on every linear layer, so gradients flow through the blocks, the
      // conditioning (time/guidance/text embedders, read by every block) and the embedders
      SeededRandom random = SeededRandom.seeded(11);
      List<NDArray> trainable = attachDeltas(model, random, manager);
      FluxConfig c = model.config();
      NDArray x = random.gaussian(manager, new Shape(2, 16, c.inChannels()));
      NDArray txt = random.gaussian(manager, new Shape(2, 5, c.jointAttentionDim()));
      NDArray pooled = random.gaussian(manager, new Shape(2, c.pooledProjectionDim()));
      NDArray target = random.gaussian(manager, x.getShape());
      NDArray sigma = manager.create(new float[] {0.3f, 0.8f});
      NDArray guidance = manager.create(new float[] {1f, 1f});

      // both passes under the precision (its attention runs in bf16 under BF16): only checkpointing differs
      model.setPrecision(precision);
      float plainLoss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = FlowMatching.loss(model.forward(x, txt, pooled, sigma, guidance, 8, 8), target);
        collector.backward(loss);
        plainLoss = loss.getFloat();
      }
      NDList plain = gradients(trainable, manager);
      float checkpointedLoss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        checkpointedLoss = model.forwardBackwardCheckpointed(x, txt, pooled, sigma, guidance, 8, 8, v -> FlowMatching.loss(v, target)).getFloat();
      }
      assertThat(plain).hasSize(trainable.size());
      return new Step(plainLoss, plain, checkpointedLoss, gradients(trainable, manager));
    }
  }

  /** Copies the gradients and clears them for the next pass. */
  private static NDList gradients(List<NDArray> trainable, NDManager manager) {
    NDList out = new NDList();
    for (NDArray p : trainable) {
      NDArray g = p.getGradient();
      NDArray copy = g.duplicate();
      copy.attach(manager);
      out.add(copy);
      g.subi(g);
    }
    return out;
  }

  /** A rank-2 delta on every linear layer, conditioning embedders first in the list. */
  private static List<NDArray> attachDeltas(FluxTransformer model, SeededRandom random, NDManager manager) {
    List<NDArray> trainable = new ArrayList<>();
    for (Map.Entry<String, AdaptableLinear> e : model.linears().entrySet()) {
      AdaptableLinear linear = e.getValue();
      NDArray a = random.gaussian(manager, new Shape(2, linear.inFeatures()));
      NDArray b = random.gaussian(manager, new Shape(linear.outFeatures(), 2)).mul(0.1f);
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      boolean conditioning = e.getKey().startsWith("time_text_embed");
      if (conditioning) {
        trainable.add(0, b);
        trainable.add(0, a);
      } else {
        trainable.add(a);
        trainable.add(b);
      }
      linear.attach(new LinearAdapter() {
        @Override
        public NDArray delta(NDArray input) {
          return LinearAdapter.lowRank(input, a, b);
        }

        @Override
        public List<NDArray> trainableParameters() {
          return List.of(a, b);
        }
      });
    }
    return trainable;
  }
}
