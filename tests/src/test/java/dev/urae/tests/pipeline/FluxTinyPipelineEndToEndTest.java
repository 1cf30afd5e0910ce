package dev.urae.tests.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.batch.report.ReportLinkChecker;
import dev.urae.infra.store.FileObjectStore;
import dev.urae.model.image.PngImages;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.text.UraeCachedFeatures;
import dev.urae.tests.support.UraeCli;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on the real FLUX.1 components: {@code urae model init --preset tiny} writes a
 * random checkpoint in the diffusers layout, and {@code urae run examples/flux-tiny/prompts.jsonl}
 * with that folder as the model runs teacher (demo drawing at the tiny model's 64×64), cache (the
 * checkpoint's VAE posterior and its T5 + CLIP features), adapt, render (decoded by the VAE) and
 * report, as separate processes. Prints each stage's wall time (the figures of the issue note).
 */
class FluxTinyPipelineEndToEndTest {
  private static final Path MANIFEST = Path.of("..", "examples", "flux-tiny", "prompts.jsonl").toAbsolutePath().normalize();
  @TempDir Path work;

  @Test
  void tinyFluxCheckpointRunsEveryStageWithItsOwnComponents() throws Exception {
    // given a tiny random FLUX.1 checkpoint
    UraeCli cli = new UraeCli(work, Map.of(), List.of());
    Path model = work.resolve("tiny-flux");
    UraeCli.Result init = cli.run(Duration.ofMinutes(3), "model", "init", "--preset", "tiny", "--out", model.toString());
    assertThat(init.exitCode()).as(init.toString()).isZero();
    ObjectMapper json = new ObjectMapper();
    JsonNode transformer = json.readTree(model.resolve("transformer/config.json").toFile());
    JsonNode vae = json.readTree(model.resolve("vae/config.json").toFile());
    int latentSide = 64 / (1 << (vae.path("block_out_channels").size() - 1));

    // when the quick job runs on it
    Path dataDir = work.resolve("data");
    UraeCli.Result result = cli.run(Duration.ofMinutes(10), "run", MANIFEST.toString(), "--model", model.toString(), "--quick",
        "--data-dir", dataDir.toString());

    // then
    assertThat(result.exitCode()).as(result.toString()).isZero();
    String runId = result.stdout().lines().findFirst().orElseThrow().substring(4).strip();
    Path run = dataDir.resolve("runs").resolve(runId);
    JsonNode summary = json.readTree(run.resolve("report/summary.json").toFile());
    for (JsonNode stage : summary.path("stages")) {
      System.out.printf("[flux-tiny e2e] %-8s %6d ms%n", stage.path("name").asText(), stage.path("durationMillis").asLong());
    }

    // cache: each teacher image's VAE posterior at its size, and both captions' T5 + CLIP features under URAE's names
    List<String> trained = new ArrayList<>();
    for (String line : Files.readAllLines(MANIFEST)) {
      JsonNode item = json.readTree(line);
      if (!item.has("tags")) trained.add(item.path("id").asText());
    }
    for (String id : trained) {
      try (SafeTensorsFile latents = SafeTensorsFile.open(run.resolve("cache/" + id + "_latents.safetensors"))) {
        long[] expected = {vae.path("latent_channels").asInt(), latentSide, latentSide};
        assertThat(latents.entry("mean").shape().getShape()).containsExactly(expected);
        assertThat(latents.entry("std").shape().getShape()).containsExactly(expected);
        float smallest = Float.MAX_VALUE;
        for (float s : latents.floats("std")) smallest = Math.min(smallest, s);
        assertThat(smallest).as("smallest std of " + id).isPositive(); // a real posterior: every step draws a fresh sample
      }
      for (String text : List.of("_prompt_embed", "_generated_prompt_embed")) {
        try (SafeTensorsFile features = SafeTensorsFile.open(run.resolve("cache/" + id + text + ".safetensors"))) {
          assertThat(features.entry(UraeCachedFeatures.T5).shape().get(1)).isEqualTo(transformer.path("joint_attention_dim").asLong());
          assertThat(features.entry(UraeCachedFeatures.CLIP).shape().getShape())
              .containsExactly(transformer.path("pooled_projection_dim").asLong());
        }
      }
    }

    // adapt: a diffusers LoRA on the transformer, trained for the quick profile's steps
    try (SafeTensorsFile adapter = SafeTensorsFile.open(run.resolve("adapt/adapter.safetensors"))) {
      assertThat(adapter.names()).isNotEmpty().allMatch(n -> n.startsWith("transformer.") && n.matches(".*lora_[AB]\\.weight"));
    }
    assertThat(json.readTree(run.resolve("adapt/history.json").toFile()).path("losses").size()).isEqualTo(30);

    // render: base and adapted renders, RGB at the item's size (the VAE decoder's output from 4-channel latents), named by the weights
    Set<String> digests = new HashSet<>();
    for (String id : List.of("tiny-heldout-0", "tiny-heldout-1")) {
      for (String render : List.of("render/base/", "render/base-native/", "render/")) {
        PngImages.PngImage png = PngImages.read(run.resolve(render + id + ".png"));
        assertThat(png.image().getWidth()).isEqualTo(64);
        assertThat(png.image().getHeight()).isEqualTo(64);
        assertThat(distinctColours(png.image())).as(render + id).isGreaterThan(16);
        assertThat(png.text()).containsEntry("model", model.toString()).containsKeys("prompt", "seed", "weights");
        digests.add(png.text().get("weights"));
      }
      assertThat(PngImages.read(run.resolve("render/" + id + ".png")).text()).containsKey("adapter");
    }
    assertThat(digests).singleElement().asString().startsWith("sha256:");

    // report: renders without ground-truth metrics, every link resolves
    ReportLinkChecker.Result links = ReportLinkChecker.check(new FileObjectStore(run), "report/index.html");
    assertThat(links.links()).isNotEmpty();
    assertThat(links.broken()).isEmpty();
    assertThat(summary.path("metrics").path("rows")).isEmpty();
    assertThat(summary.path("gallery").size()).isEqualTo(2);
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) colours.add(image.getRGB(x, y));
    }
    return colours.size();
  }
}
