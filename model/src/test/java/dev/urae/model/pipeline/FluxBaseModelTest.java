package dev.urae.model.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.base.BaseModel;
import dev.urae.model.base.BaseModelProvider;
import dev.urae.model.base.BaseModels;
import dev.urae.model.base.Renderer;
import dev.urae.model.codec.LatentPosterior;
import dev.urae.model.flow.TimeShift;
import dev.urae.model.flux.AttentionSettings;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.text.TextEmbedding;
import dev.urae.model.tensors.DType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FLUX base model on a tiny checkpoint as {@code urae model init --preset tiny} writes it (bf16, minimal tokenizers). */
class FluxBaseModelTest {
  @TempDir static Path dir;
  private static NDManager manager;
  private static BaseModel model;

  @BeforeAll
  static void load() throws IOException {
    new FluxCheckpointInit(dir.resolve("tiny"), FluxCheckpointInit.Weights.RANDOM, 7, DType.BF16, FluxCheckpointInit.DEFAULT_MAX_SHARD_BYTES)
        .write(FluxPresets.TINY);
    manager = NDManager.newBaseManager();
    model = BaseModels.load(dir.resolve("tiny").toString(), manager, new PrintStream(OutputStream.nullOutputStream()));
  }

  @AfterAll
  static void close() {
    model.close();
    manager.close();
  }

  @Test
  void aLocalFolderResolvesToTheFluxModelWithItsFacts() throws IOException {
    // when
    BaseModelProvider provider = BaseModels.provider(dir.resolve("tiny").toString());

    // then: the tiny VAE downsamples 2x, so images come in multiples of 4; native 64 (sample_size)
    assertThat(provider).isInstanceOf(FluxBaseModelProvider.class);
    assertThat(provider.pixelGrid()).isEqualTo(4);
    assertThat(provider.guidanceInput()).isTrue();
    assertThat(model.nativeResolution()).isEqualTo(64);
    assertThat(model.trainSequenceLength()).isEqualTo(512 + 16 * 16);
    assertThat(model.nativeImageTokens()).isEqualTo(16 * 16);
    assertThat(model.interpolatesPositions()).as("URAE adapts FLUX.1 with NTK scaling alone").isFalse();
    assertThat(model.guidanceDefault()).isEqualTo(3.5);
    assertThat(model.weightsDigest()).isEqualTo(provider.weightsDigest()).startsWith("sha256:");
  }

  @Test
  void encodesTextToT5SequencesAndClipPooledVectors() {
    try (NDManager scope = manager.newSubManager()) {
      // when
      TextEmbedding a = model.textEncoder().encode("a red circle", scope);
      TextEmbedding b = model.textEncoder().encode("a blue square", scope);

      // then
      assertThat(a.sequence().getShape()).isEqualTo(new Shape(512, FluxPresets.TINY.jointAttentionDim()));
      assertThat(a.pooled().getShape()).isEqualTo(new Shape(FluxPresets.TINY.pooledProjectionDim()));
      assertThat(a.pooled().sub(b.pooled()).abs().max().getFloat()).isGreaterThan(0f);
    }
  }

  @Test
  void theCodecEncodesToThePosteriorAndDecodesBack() {
    try (NDManager scope = manager.newSubManager()) {
      // given
      NDArray images = scope.randomUniform(-1f, 1f, new Shape(2, 3, 16, 24));

      // when
      LatentPosterior posterior = model.latentCodec().encodePosterior(images);
      NDArray decoded = model.latentCodec().decode(posterior.mean());

      // then
      assertThat(posterior.mean().getShape()).isEqualTo(new Shape(2, 4, 8, 12));
      assertThat(posterior.std().min().getFloat()).isGreaterThan(0f);
      assertThat(decoded.getShape()).isEqualTo(images.getShape());
    }
  }

  @Test
  void rendersDeterministicallyFromTheSeedAndFollowsThePrompt() {
    // given
    Renderer renderer = model.renderer(settings(3.5));

    // when
    BufferedImage first = renderer.render("a red circle", 32, 24, 11).toBufferedImage();
    BufferedImage again = renderer.render("a red circle", 32, 24, 11).toBufferedImage();
    BufferedImage otherSeed = renderer.render("a red circle", 32, 24, 12).toBufferedImage();
    BufferedImage otherPrompt = renderer.render("a blue square", 32, 24, 11).toBufferedImage();

    // then
    assertThat(first.getWidth()).isEqualTo(32);
    assertThat(first.getHeight()).isEqualTo(24);
    assertThat(pixels(again)).isEqualTo(pixels(first));
    assertThat(pixels(otherSeed)).isNotEqualTo(pixels(first));
    assertThat(pixels(otherPrompt)).isNotEqualTo(pixels(first));
  }

  @Test
  void guidanceIsAnInputOfTheDevLikeTransformer() {
    // when
    BufferedImage low = model.renderer(settings(1.0)).render("a red circle", 16, 16, 3).toBufferedImage();
    BufferedImage high = model.renderer(settings(3.5)).render("a red circle", 16, 16, 3).toBufferedImage();

    // then
    assertThat(pixels(low)).isNotEqualTo(pixels(high));
  }

  @Test
  void aSchnellLikeTransformerTakesNoGuidance() throws IOException {
    // given a checkpoint whose transformer has no guidance embedder
    Path schnell = dir.resolve("schnell");
    new FluxCheckpointInit(schnell, FluxCheckpointInit.Weights.RANDOM, 7, DType.F32, FluxCheckpointInit.DEFAULT_MAX_SHARD_BYTES)
        .write(FluxPresets.TINY.toBuilder().optGuidanceEmbeds(false).build());
    try (NDManager own = NDManager.newBaseManager();
         BaseModel model = BaseModels.load(schnell.toString(), own, new PrintStream(OutputStream.nullOutputStream()))) {
      // when
      BufferedImage low = model.renderer(settings(1.0)).render("a red circle", 16, 16, 3).toBufferedImage();
      BufferedImage high = model.renderer(settings(3.5)).render("a red circle", 16, 16, 3).toBufferedImage();

      // then
      assertThat(BaseModels.provider(schnell.toString()).guidanceInput()).isFalse();
      assertThat(model.guidanceDefault()).isZero();
      assertThat(model.trainSequenceLength()).isEqualTo(256 + 16 * 16);
      assertThat(pixels(low)).isEqualTo(pixels(high));
    }
  }

  @Test
  void refineFinishesACoarseRenderAtTheTargetSize() {
    // given
    Renderer renderer = model.renderer(settings(3.5));
    Renderer.Image coarse = renderer.render("a red circle", 16, 16, 5);

    // when
    BufferedImage fine = renderer.refine(coarse, 0.6, "a red circle", 32, 32, 5).toBufferedImage();

    // then
    assertThat(fine.getWidth()).isEqualTo(32);
    assertThat(pixels(renderer.refine(coarse, 0.6, "a red circle", 32, 32, 5).toBufferedImage())).isEqualTo(pixels(fine));
  }

  private static Renderer.Settings settings(double guidance) {
    return new Renderer.Settings(4, guidance, n -> TimeShift.fixed(3.0), AttentionSettings.DEFAULT);
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  @Test
  void aFolderOfBflFilesRendersLikeTheSameWeightsInTheDiffusersLayout() throws IOException {
    // given the BFL fixture's transformer beside init's text encoders, tokenizers and VAE, and the same weights in diffusers names
    Path diffusers = dir.resolve("diffusers-same");
    new FluxCheckpointInit(diffusers, FluxCheckpointInit.Weights.RANDOM, 7, DType.F32, FluxCheckpointInit.DEFAULT_MAX_SHARD_BYTES)
        .write(FluxPresets.TINY);
    Path bfl = Files.createDirectories(dir.resolve("bfl"));
    for (String component : List.of("text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "vae")) {
      copy(diffusers.resolve(component), bfl.resolve(component));
    }
    Files.copy(FIXTURES.resolve("flux1-tiny.safetensors"), bfl.resolve("flux1-tiny.safetensors"));
    delete(diffusers.resolve("transformer"));
    copy(FIXTURES.resolve("diffusers/transformer"), diffusers.resolve("transformer"));

    // when
    BufferedImage fromBfl;
    BufferedImage fromDiffusers;
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (NDManager own = NDManager.newBaseManager();
         BaseModel a = BaseModels.load(bfl.toString(), own, quiet);
         BaseModel b = BaseModels.load(diffusers.toString(), own, quiet)) {
      fromBfl = a.renderer(settings(3.5)).render("a red circle", 16, 16, 4).toBufferedImage();
      fromDiffusers = b.renderer(settings(3.5)).render("a red circle", 16, 16, 4).toBufferedImage();
    }

    // then
    assertThat(Checkpoint.read(bfl).layout()).isEqualTo(CheckpointLayout.BFL_FOLDER);
    assertThat(pixels(fromBfl)).isEqualTo(pixels(fromDiffusers));
  }

  private static final Path FIXTURES = Path.of("src/test/resources/bfl");

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
