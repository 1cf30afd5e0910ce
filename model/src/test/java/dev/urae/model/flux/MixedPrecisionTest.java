package dev.urae.model.flux;

import static dev.urae.model.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterSpec;
import dev.urae.model.checkpoint.Bf16;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.flow.FlowMatching;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.Precision;
import dev.urae.model.pipeline.FluxCheckpointInit;
import dev.urae.model.tensors.DType;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bf16 mixed precision on the CPU, asked for explicitly: a forward pass and a training step on a
 * bf16 checkpoint with products and attention in bf16 beside the same computed in float32 on the
 * same bf16 weights.
 */
class MixedPrecisionTest {
  @TempDir Path dir;
  private final NDManager manager = NDManager.newBaseManager();
  private FluxTransformer model;
  private Adapter lora;

  @BeforeEach
  void load() throws Exception {
    new FluxCheckpointInit(dir, FluxCheckpointInit.Weights.RANDOM, 7, DType.BF16, FluxCheckpointInit.DEFAULT_MAX_SHARD_BYTES).write(FluxPresets.TINY);
    Component transformer = Checkpoint.open(dir).component("transformer");
    model = FluxTransformer.load(transformer, FluxConfigJson.of(transformer, null), Device.cpu(), manager);
    lora = Adapter.initLora(model.linears(), AdapterSpec.urae(AdapterKind.LORA, 4), SeededRandom.seeded(1));
    // a trained-looking B, so that every adapter array gets a gradient (B = 0 would leave A's at zero)
    SeededRandom random = SeededRandom.seeded(2);
    for (Map.Entry<String, NDArray> p : lora.parameters().entrySet()) {
      if (p.getKey().endsWith("lora_B")) p.getValue().set(FloatBuffer.wrap(scaled(random.gaussians(Math.toIntExact(p.getValue().size())), 0.1f)));
    }
  }

  @AfterEach
  void close() {
    lora.close();
    model.close();
    manager.close();
  }

  @Test
  void aBf16StepTrainsFloat32AdaptersCloseToTheFloat32StepWithoutCopyingWeights() {
    // given the step in float32 (which also gives the adapter arrays their gradient buffers)
    long weightBytes = model.weightBytes();
    model.setPrecision(Precision.FP32);
    Step fp32 = step();
    long modelBytes = managedBytes(manager);

    // when the same step runs with products in bf16
    model.setPrecision(Precision.BF16);
    Step bf16 = step();

    // then adapter gradients are float32 and close to the float32 step's (bf16 has 8 significant bits: 2^-8 = 0.4% per
    // rounding; through two blocks and back, attention in bf16 too, the measured worst differs by 2.4% of the largest gradient, bound 5%)
    for (String name : fp32.gradients.keySet()) {
      assertThat(bf16.dtypes.get(name)).as(name).isEqualTo(DataType.FLOAT32);
      assertThat(relativeMaxDiff(bf16.gradients.get(name), fp32.gradients.get(name))).as(name).isLessThan(0.05);
    }
    // and the base weights are still bf16, one copy: the model holds what it held before the step
    for (AdaptableLinear linear : model.linears().values()) assertThat(Bf16.is(linear.weight())).isTrue();
    assertThat(model.weightBytes()).isEqualTo(weightBytes);
    assertThat(managedBytes(manager)).isEqualTo(modelBytes);
  }

  @Test
  void aBf16ForwardAgreesWithTheFloat32Forward() {
    // given the tiny FLUX on its bf16 checkpoint and one input
    FluxConfig c = model.config();
    SeededRandom random = SeededRandom.seeded(5);
    NDArray x = random.gaussian(manager, new Shape(1, 4, c.inChannels()));
    NDArray txt = random.gaussian(manager, new Shape(1, 3, c.jointAttentionDim()));
    NDArray pooled = random.gaussian(manager, new Shape(1, c.pooledProjectionDim()));
    NDArray sigma = manager.create(new float[] {0.5f});
    NDArray guidance = manager.create(new float[] {1f});
    model.setPrecision(Precision.FP32);
    NDArray fp32 = model.forward(x, txt, pooled, sigma, guidance, 4, 4);

    // when the forward runs in bf16 mixed precision (products and attention in bf16)
    model.setPrecision(Precision.BF16);
    NDArray bf16 = model.forward(x, txt, pooled, sigma, guidance, 4, 4);

    // then a float32 velocity within bf16 rounding of the float32 one (measured 0.32% of the largest value, bound 2%)
    assertThat(bf16.getDataType()).isEqualTo(DataType.FLOAT32);
    assertClose("velocity", bf16, fp32, 0.02);
  }

  @Test
  void aBf16ProductMakesNoFloat32CopyOfTheWeight() {
    // given a bf16 layer
    AdaptableLinear layer = model.linears().get("transformer_blocks.0.attn.to_q");
    long weightFloat32Bytes = ((long) layer.inFeatures() + (layer.hasBias() ? 1 : 0)) * layer.outFeatures() * Float.BYTES;
    for (Precision precision : Precision.values()) {
      model.setPrecision(precision);
      try (NDManager step = NDManager.newBaseManager()) {
        NDArray x = SeededRandom.seeded(4).gaussian(step, new Shape(2, 5, layer.inFeatures()));
        long before = managedBytes(step);

        // when
        NDArray y = layer.baseForward(x);

        // then float32 out; in fp32 the call made a float32 copy of the weight (and bias) beside its output, in bf16 only the output
        assertThat(y.getDataType()).isEqualTo(DataType.FLOAT32);
        long outputBytes = y.getShape().size() * Float.BYTES;
        long made = managedBytes(step) - before;
        assertThat(made).as(precision.name()).isEqualTo(precision == Precision.BF16 ? outputBytes : outputBytes + weightFloat32Bytes);
      }
    }
  }

  /** Gradients by parameter name and their dtypes. */
  private record Step(Map<String, float[]> gradients, Map<String, DataType> dtypes) {}

  private Step step() {
    FluxConfig c = model.config();
    try (NDManager step = NDManager.newBaseManager()) {
      SeededRandom random = SeededRandom.seeded(3);
      NDArray x = random.gaussian(step, new Shape(1, 4, c.inChannels()));
      NDArray txt = random.gaussian(step, new Shape(1, 3, c.jointAttentionDim()));
      NDArray pooled = random.gaussian(step, new Shape(1, c.pooledProjectionDim()));
      NDArray target = random.gaussian(step, x.getShape());
      NDArray sigma = step.create(new float[] {0.5f});
      NDArray guidance = step.create(new float[] {1f});
      Map<String, float[]> gradients = new LinkedHashMap<>();
      Map<String, DataType> dtypes = new LinkedHashMap<>();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(FlowMatching.loss(model.forward(x, txt, pooled, sigma, guidance, 4, 4), target));
        // each getGradient() is a new handle on the gradient's storage, in the adapter's manager: close it after use
        for (Map.Entry<String, NDArray> p : lora.parameters().entrySet()) {
          try (NDArray g = p.getValue().getGradient()) {
            gradients.put(p.getKey(), g.toFloatArray());
            dtypes.put(p.getKey(), g.getDataType());
            g.subi(g); // zero, for the next step
          }
        }
      }
      return new Step(gradients, dtypes);
    }
  }

  private static long managedBytes(NDManager manager) {
    long bytes = 0;
    for (NDArray array : ((BaseNDManager) manager).getManagedArrays()) {
      if (!array.isReleased()) bytes += array.getShape().size() * dev.urae.model.checkpoint.TensorLoader.dtypeOf(array).bytes();
    }
    return bytes;
  }

  private static double relativeMaxDiff(float[] actual, float[] expected) {
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    return worst / scale;
  }

  private static float[] scaled(float[] values, float factor) {
    for (int i = 0; i < values.length; i++) values[i] *= factor;
    return values;
  }
}
