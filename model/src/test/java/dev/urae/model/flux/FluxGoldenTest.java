package dev.urae.model.flux;

import static dev.urae.model.Approx.assertClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.nn.AttentionKernel;
import dev.urae.model.tensors.ModelWeights;
import dev.urae.model.tensors.SafeTensorsFile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tiny preset against values computed by {@code src/test/python/generate_goldens.py}, a
 * plain-PyTorch FLUX written from the published equations (see the model README to regenerate).
 */
class FluxGoldenTest {
  private static final double TOLERANCE = 1e-4;
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  private static NDManager manager;
  private static FluxTransformer model;
  private static Map<String, NDArray> io;
  private static int latentH;
  private static int latentW;

  @BeforeAll
  static void load() throws Exception {
    manager = NDManager.newBaseManager();
    model = FluxTransformer.zeros(FluxPresets.TINY, manager);
    ModelWeights.load(model, GOLDEN.resolve("tiny_weights.safetensors"));
    try (SafeTensorsFile file = SafeTensorsFile.open(GOLDEN.resolve("tiny_io.safetensors"))) {
      io = file.loadAll(manager);
      latentH = Integer.parseInt(file.metadata().get("latent_h"));
      latentW = Integer.parseInt(file.metadata().get("latent_w"));
    }
  }

  @AfterAll
  static void close() {
    model.close();
    manager.close();
  }

  @Test
  void timestepEmbeddingMatchesReference() {
    // given the noise levels of the fixture
    NDArray sigma = io.get("sigma");

    // when
    NDArray projection = model.timestepProjection(sigma);
    NDArray temb = model.conditioning(sigma, io.get("guidance"), io.get("pooled"));

    // then
    assertClose("timestep projection", projection, io.get("timestep_proj"), TOLERANCE);
    assertClose("conditioning vector", temb, io.get("temb"), TOLERANCE);
  }

  @Test
  void ropeTablesMatchReferenceWithAndWithoutNtk() {
    // given 5 text tokens and a 4×3 image grid
    int[] axes = FluxPresets.TINY.axesDimsRope();

    // when
    RotaryEmbedding plain = RotaryEmbedding.create(manager, axes, 10_000, 5, latentH / 2, latentW / 2);
    RotaryEmbedding ntk = RotaryEmbedding.create(manager, axes, 10_000 * 4.0, 5, latentH / 2, latentW / 2);

    // then: the signed sine table carries -sin on even and +sin on odd positions
    assertClose("rope cos", plain.cos(), io.get("rope_cos"), TOLERANCE);
    assertClose("rope sin", plain.sinSigned(), signed(io.get("rope_sin")), TOLERANCE);
    assertClose("rope ntk cos", ntk.cos(), io.get("rope_ntk4_cos"), TOLERANCE);
    assertClose("rope ntk sin", ntk.sinSigned(), signed(io.get("rope_ntk4_sin")), TOLERANCE);
  }

  @Test
  void doubleStreamBlockMatchesReference() {
    // given the embedded streams the reference fed to block 0
    NDArray siluVec = siluTemb();

    // when
    NDList out = model.doubleBlocks().get(0).forward(io.get("double_img_in"), io.get("double_txt_in"), siluVec, rope(), scale(), AttentionKernel.FUSED);

    // then
    assertClose("double block img", out.get(0), io.get("double_img_out"), TOLERANCE);
    assertClose("double block txt", out.get(1), io.get("double_txt_out"), TOLERANCE);
  }

  @Test
  void singleStreamBlockMatchesReference() {
    // given the joined [txt, img] sequence the reference fed to single block 0
    NDArray siluVec = siluTemb();

    // when
    NDArray out = model.singleBlocks().get(0).forward(io.get("single_in"), siluVec, rope(), scale(), AttentionKernel.FUSED);

    // then
    assertClose("single block", out, io.get("single_out"), TOLERANCE);
  }

  @Test
  void fullForwardMatchesReference() {
    // when
    NDArray out = model.forward(io.get("packed"), io.get("txt"), io.get("pooled"), io.get("sigma"), io.get("guidance"), latentH, latentW);

    // then
    assertClose("forward", out, io.get("output"), TOLERANCE);
  }

  @Test
  void forwardWithNtkAndProportionalAttentionMatchesReference() {
    // given the resolution knobs of the 4K stage, with the reference's training length (FLUX.1-dev's 512 + 64·64)
    AttentionSettings knobs = AttentionSettings.DEFAULT.withNtkFactor(4.0).withProportionalAttention(true, 512 + 64 * 64);

    // when
    NDArray out = model.forward(io.get("packed"), io.get("txt"), io.get("pooled"), io.get("sigma"), io.get("guidance"), latentH, latentW, knobs);

    // then
    assertClose("forward with knobs", out, io.get("output_ntk4_proportional"), TOLERANCE);
  }

  @Test
  void packingMatchesReference() {
    // when
    NDArray packed = Packing.pack(io.get("latents"));

    // then
    assertClose("pack", packed, io.get("packed"), 0);
    assertClose("unpack", Packing.unpack(packed, latentH, latentW), io.get("latents"), 0);
  }

  private static NDArray siluTemb() {
    NDArray temb = io.get("temb");
    return temb.mul(temb.getNDArrayInternal().sigmoid());
  }

  private static RotaryEmbedding rope() {
    return RotaryEmbedding.create(manager, FluxPresets.TINY.axesDimsRope(), 10_000, 5, latentH / 2, latentW / 2);
  }

  private static float scale() {
    return (float) (1 / Math.sqrt(FluxPresets.TINY.attentionHeadDim()));
  }

  private static NDArray signed(NDArray sin) {
    int d = Math.toIntExact(sin.getShape().get(1));
    float[] sign = new float[d];
    for (int i = 0; i < d; i++) sign[i] = i % 2 == 0 ? -1 : 1;
    return sin.mul(manager.create(sign, new Shape(1, d)));
  }
}
