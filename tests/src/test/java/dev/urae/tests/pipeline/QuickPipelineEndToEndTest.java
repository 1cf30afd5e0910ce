package dev.urae.tests.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.batch.report.ReportLinkChecker;
import dev.urae.infra.store.FileObjectStore;
import dev.urae.model.image.PngImages;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.tests.support.HeadlessChromium;
import dev.urae.tests.support.UraeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command with {@code --quick}, through the CLI as a separate process: every
 * stage leaves its outputs, renders carry their text chunks, the report's links resolve, and in
 * headless Chromium every image of the report loads without a console error.
 */
class QuickPipelineEndToEndTest {
  private static final Path MANIFEST = Path.of("..", "examples", "demo", "prompts.jsonl").toAbsolutePath().normalize();
  @TempDir Path work;

  @Test
  void quickDemoRunsEveryStageAndWritesAReportWhoseLinksResolve() throws Exception {
    // given
    Path dataDir = work.resolve("data");
    UraeCli cli = new UraeCli(work, Map.of(), List.of());
    // when
    UraeCli.Result result = cli.run(Duration.ofMinutes(15), "run", MANIFEST.toString(), "--quick", "--data-dir",
        dataDir.toString());
    // then
    assertThat(result.exitCode()).as(result.toString()).isZero();
    String runId = result.stdout().lines().findFirst().orElseThrow().substring(4).strip();
    Path run = dataDir.resolve("runs").resolve(runId);
    assertThat(result.stdout()).contains("report: " + run.resolve("report/index.html"));
    ObjectMapper json = new ObjectMapper();

    // teacher: 48 training items in URAE's layout, the 12 held-out ones absent
    try (var files = Files.list(run.resolve("teacher"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).isEqualTo(48);
    }
    JsonNode caption = json.readTree(run.resolve("teacher/scene-00.json").toFile());
    JsonNode firstLine = json.readTree(Files.readAllLines(MANIFEST).get(0));
    assertThat(caption.path("prompt").asText()).isEqualTo(firstLine.path("prompt").asText());
    assertThat(caption.path("generated_prompt").asText()).isNotBlank().isNotEqualTo(firstLine.path("prompt").asText());
    assertThat(run.resolve("teacher/heldout-48.png")).doesNotExist();

    // cache: the latent posterior and both captions' text features per item, in URAE's layout
    try (SafeTensorsFile latents = SafeTensorsFile.open(run.resolve("cache/scene-00_latents.safetensors"))) {
      assertThat(latents.names()).containsExactlyInAnyOrder("mean", "std");
    }
    assertThat(run.resolve("cache/scene-00_prompt_embed.safetensors")).exists();
    assertThat(run.resolve("cache/scene-00_generated_prompt_embed.safetensors")).exists();

    // adapt: a diffusers LoRA and the loss history
    try (SafeTensorsFile adapter = SafeTensorsFile.open(run.resolve("adapt/adapter.safetensors"))) {
      assertThat(adapter.names()).allMatch(n -> n.startsWith("transformer.") && n.matches(".*lora_[AB]\\.weight"))
          .noneMatch(n -> n.contains("processor") || n.contains("base_model"));
    }
    JsonNode history = json.readTree(run.resolve("adapt/history.json").toFile());
    assertThat(history.path("losses").size()).isEqualTo(30);

    // render: base (at the target and the native resolution) and adapted renders with their text chunks
    for (String id : List.of("heldout-48", "heldout-51")) {
      assertThat(PngImages.read(run.resolve("render/base-native/" + id + ".png")).image().getWidth()).isEqualTo(32);
      Map<String, String> base = PngImages.read(run.resolve("render/base/" + id + ".png")).text();
      Map<String, String> adapted = PngImages.read(run.resolve("render/" + id + ".png")).text();
      assertThat(adapted).containsKeys("prompt", "seed", "steps", "guidance", "model", "adapter");
      assertThat(base.get("prompt")).isEqualTo(adapted.get("prompt"));
      assertThat(base).doesNotContainKey("adapter");
    }

    // report: every link resolves, and the summary has the metric table
    FileObjectStore store = new FileObjectStore(run);
    ReportLinkChecker.Result links = ReportLinkChecker.check(store, "report/index.html");
    assertThat(links.links()).isNotEmpty();
    assertThat(links.broken()).isEmpty();
    JsonNode summary = json.readTree(run.resolve("report/summary.json").toFile());
    assertThat(summary.toString()).contains("base @ native", "base @ target", "adapted @ target");
    // and each stage's tasks measured their wall and CPU time
    List<String> measured = new java.util.ArrayList<>();
    for (JsonNode stage : summary.path("compute")) {
      measured.add(stage.path("name").asText());
      assertThat(stage.path("wallMillis").asLong()).as(stage.toString()).isPositive();
      assertThat(stage.path("cpuMillis").asLong()).as(stage.toString()).isPositive();
    }
    assertThat(measured).contains("teacher", "cache", "adapt", "render");

    // and in a real browser every image loads and the page logs no error
    HeadlessChromium.PageLoad page;
    try (HeadlessChromium browser = HeadlessChromium.start(Duration.ofSeconds(60))) {
      page = browser.load(run.resolve("report/index.html"), Duration.ofSeconds(60));
    }
    assertThat(page.images()).hasSizeGreaterThanOrEqualTo(4 * 4);
    assertThat(page.brokenImages()).isEmpty();
    assertThat(page.consoleErrors()).isEmpty();
  }
}
