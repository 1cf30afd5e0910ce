package dev.urae.model.flux;

import static dev.urae.model.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.urae.model.flow.FlowMatching;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.AttentionKernel;
import dev.urae.model.nn.LinearAdapter;
import dev.urae.model.nn.Precision;
import dev.urae.model.tensors.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FluxTransformerTest {
  private NDManager manager;
  private FluxTransformer model;

  @BeforeEach
  void create() {
    manager = NDManager.newBaseManager();
    model = FluxTransformer.random(FluxPresets.TINY, 7, manager);
  }

  @AfterEach
  void close() {
    model.close();
    manager.close();
  }

  @Test
  void parametersFollowTheLayoutExactly() {
    // when
    List<TensorSpec> actual = model.parameters().entrySet().stream().map(e -> new TensorSpec(e.getKey(), e.getValue().getShape())).toList();

    // then
    assertThat(actual).isEqualTo(FluxLayout.of(FluxPresets.TINY).tensors());
  }

  @Test
  void linearsAreAddressableByDiffusersModuleName() {
    assertThat(model.linears()).containsKeys(
        "transformer_blocks.0.attn.to_q", "transformer_blocks.1.attn.to_out.0", "transformer_blocks.0.attn.add_k_proj",
        "single_transformer_blocks.1.attn.to_k", "single_transformer_blocks.0.proj_mlp", "proj_out");
    assertThat(model.linears().get("single_transformer_blocks.0.proj_mlp").weight().getShape()).isEqualTo(new Shape(128, 32));
  }

  @Test
  void sameSeedGivesSameWeights() {
    try (FluxTransformer again = FluxTransformer.random(FluxPresets.TINY, 7, manager)) {
      assertThat(again.parameters().get("transformer_blocks.1.ff.net.2.weight").toFloatArray())
          .containsExactly(model.parameters().get("transformer_blocks.1.ff.net.2.weight").toFloatArray());
    }
  }

  @Test
  void adapterOnOneFusedProjectionChangesOnlyItsOwnSlice() {
    // given a constant delta on to_k of single block 0, and the same delta folded into its bias
    AdaptableLinear toK = model.linears().get("single_transformer_blocks.0.attn.to_k");
    NDArray shift = manager.create(SeededRandom.seeded(3).gaussians(32), new Shape(32));
    Inputs in = inputs();

    // when
    toK.attach(new ConstantDelta(shift));
    NDArray adapted = model.forward(in.x, in.txt, in.pooled, in.sigma, in.guidance, 8, 8);
    toK.detach();
    NDArray originalBias = toK.bias().duplicate();
    toK.setBias(originalBias.add(shift));
    NDArray merged = model.forward(in.x, in.txt, in.pooled, in.sigma, in.guidance, 8, 8);
    toK.setBias(originalBias);
    NDArray plain = model.forward(in.x, in.txt, in.pooled, in.sigma, in.guidance, 8, 8);

    // then
    assertClose("adapter vs merged", adapted, merged, 1e-5);
    assertThat(adapted.sub(plain).abs().max().getFloat()).isGreaterThan(1e-4f);
  }

  @Test
  void onlyAdapterParametersReceiveGradients() {
    // given trainable deltas on all of q, k and v of double block 0 (the fully adapted fused path)
    AdaptableLinear toQ = model.linears().get("transformer_blocks.0.attn.to_q");
    NDArray shift = manager.zeros(new Shape(32));
    shift.setRequiresGradient(true);
    toQ.attach(new ConstantDelta(shift));
    NDArray kvShift = manager.zeros(new Shape(32));
    kvShift.setRequiresGradient(true);
    model.linears().get("transformer_blocks.0.attn.to_k").attach(new ConstantDelta(kvShift));
    model.linears().get("transformer_blocks.0.attn.to_v").attach(new ConstantDelta(kvShift));
    Inputs in = inputs();

    // when
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray v = model.forward(in.x, in.txt, in.pooled, in.sigma, in.guidance, 8, 8);
      collector.backward(FlowMatching.loss(v, in.x));
    }

    // then
    assertThat(shift.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
    assertThat(kvShift.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
    assertThat(toQ.weight().hasGradient()).isFalse();
    assertThat(model.parameters().values()).noneMatch(NDArray::hasGradient);
  }

  @Test
  void underBf16PrecisionTheFusedAttentionComputesInBf16() {
    // given a float32 model: its linears compute in float32 under either precision, so attention is the only bf16 step
    Inputs in = inputs();
    NDArray fp32 = model.forward(in.x, in.txt, in.pooled, in.sigma, in.guidance, 8, 8);

    // when the same forward runs under bf16 precision, with the fused kernel and with the explicit one
    model.setPrecision(Precision.BF16);
    NDArray bf16 = model.forward(in.x, in.txt, in.pooled, in.sigma, in.guidance, 8, 8);
    model.setAttentionKernel(AttentionKernel.EXPLICIT);
    NDArray explicit = model.forward(in.x, in.txt, in.pooled, in.sigma, in.guidance, 8, 8);

    // then the fused attention ran in bf16: a different velocity, within bf16 rounding (measured 0.013% of the largest value, bound 1%)
    assertThat(bf16.toFloatArray()).isNotEqualTo(fp32.toFloatArray());
    assertClose("bf16 velocity", bf16, fp32, 0.01);
    // and the explicit oracle, chosen directly, stays float32
    assertClose("explicit velocity", explicit, fp32, 1e-4);
  }

  @Test
  void guidanceIsRequiredWhenTheModelEmbedsIt() {
    Inputs in = inputs();
    assertThatThrownBy(() -> model.forward(in.x, in.txt, in.pooled, in.sigma, null, 8, 8))
        .hasMessageContaining("guidance is required");
  }

  @Test
  void wrongLatentShapeIsNamed() {
    Inputs in = inputs();
    assertThatThrownBy(() -> model.forward(in.x, in.txt, in.pooled, in.sigma, in.guidance, 8, 6))
        .hasMessageContaining("packedLatents must be [B, 12, 16]");
  }

  @Test
  void wrongTextWidthIsNamed() {
    Inputs in = inputs();
    NDArray wide = manager.zeros(new Shape(1, 3, 25));
    assertThatThrownBy(() -> model.forward(in.x, wide, in.pooled, in.sigma, in.guidance, 8, 8))
        .hasMessage("txt must be [1, L, 24], got (1, 3, 25)");
  }

  @Test
  void unknownParameterNameIsRefused() {
    assertThatThrownBy(() -> model.setParameter("transformer_blocks.9.attn.to_q.weight", manager.zeros(new Shape(32, 32))))
        .hasMessage("unknown parameter transformer_blocks.9.attn.to_q.weight");
  }

  private Inputs inputs() {
    SeededRandom random = SeededRandom.seeded(11);
    Inputs in = new Inputs();
    in.x = random.gaussian(manager, new Shape(1, 16, 16));
    in.txt = random.gaussian(manager, new Shape(1, 3, 24));
    in.pooled = random.gaussian(manager, new Shape(1, 20));
    in.sigma = manager.create(new float[] {0.5f});
    in.guidance = manager.create(new float[] {1f});
    return in;
  }

  private static final class Inputs {
    NDArray x, txt, pooled, sigma, guidance;
  }

  /** delta(x) = shift, broadcast over tokens. */
  private record ConstantDelta(NDArray shift) implements LinearAdapter {
    @Override
    public NDArray delta(NDArray x) {
      return x.zerosLike().sum(new int[] {x.getShape().dimension() - 1}, true).add(shift);
    }

    @Override
    public List<NDArray> trainableParameters() {
      return List.of(shift);
    }
  }
}
