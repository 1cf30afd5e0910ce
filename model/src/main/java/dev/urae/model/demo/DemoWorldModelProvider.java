package dev.urae.model.demo;

import ai.djl.ndarray.NDManager;
import dev.urae.model.base.BaseModel;
import dev.urae.model.base.BaseModelProvider;
import dev.urae.model.base.GroundTruth;
import dev.urae.model.base.ImageScore;
import dev.urae.model.base.Renderer;
import java.io.IOException;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Provides the {@code demo} base model (the shipped weights, else a cached copy, else pretrained
 * now) and the demo grammar's exact scenes as ground truth.
 */
public final class DemoWorldModelProvider implements BaseModelProvider {
  static final String NAME = "demo";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String weightsDigest() throws IOException {
    return DemoBaseModel.defaultWeightsDigest(DemoBaseModel.defaultCacheFolder());
  }

  /** Pixel space, packed 2×2. */
  @Override
  public int pixelGrid() {
    return 2;
  }

  /** The shipped base is guidance-distilled ({@link DemoDistiller}). */
  @Override
  public boolean guidanceInput() {
    return true;
  }

  @Override
  public BaseModel load(NDManager manager, PrintStream progress) throws IOException {
    String digest = weightsDigest();
    return new DemoWorldModel(DemoBaseModel.loadDefault(DemoBaseModel.defaultCacheFolder(), manager, progress), digest);
  }

  @Override
  public Optional<GroundTruth> groundTruth() {
    return Optional.of(new GroundTruth() {
      @Override
      public Optional<BufferedImage> reference(String prompt, int width, int height, long seed) {
        Optional<SceneDescription> scene = PromptParser.parse(prompt);
        if (scene.isEmpty() || width != height) return Optional.empty();
        return Optional.of(DemoTeacher.exact().sample(scene.get(), width, seed).image().toBufferedImage());
      }

      @Override
      public Optional<ImageScore> score(String prompt, Renderer.Image render) {
        return PromptParser.parse(prompt).map(scene -> {
          DemoScore score = DemoMetric.score(scene, ((DemoWorldModel.Render) render).image());
          return new ImageScore(score.fidelity(), score.objectColourError(), score.backgroundColourError(),
              score.textureDetail(), score.psnr());
        });
      }
    });
  }
}
