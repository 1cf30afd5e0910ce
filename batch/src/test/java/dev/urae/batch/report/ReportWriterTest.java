package dev.urae.batch.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.infra.store.FileObjectStore;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  private static final String RUN = "runs/r-1/";
  @TempDir Path dir;
  private FileObjectStore store;

  @BeforeEach
  void openStore() throws IOException {
    store = new FileObjectStore(dir);
  }

  @Test
  void writesAPageWhoseLinksAllResolveWithThumbnailsOfTheRenders() throws Exception {
    // given renders, a teacher image and a rejects file in the run folder
    putPng(RUN + "render/base/a.png", 512, 256, Color.RED);
    putPng(RUN + "render/adapted/a.png", 512, 256, Color.BLUE);
    putPng(RUN + "teacher/a.png", 512, 256, Color.GREEN);
    putPng(RUN + "render/base/b.png", 128, 128, Color.RED);
    putPng(RUN + "render/adapted/b.png", 128, 128, Color.BLUE);
    store.put(RUN + "input/rejects.jsonl", "{\"line\":3}\n".getBytes(StandardCharsets.UTF_8));
    RunReport report = sample()
        .addGalleryEntry(entry("a", "a lake", 1, "render/base/a.png", "render/adapted/a.png", "teacher/a.png"))
        .addGalleryEntry(entry("b", "a hill", 2, "render/base/b.png", "render/adapted/b.png", null))
        .optRejects(new Rejects(1, "input/rejects.jsonl"))
        .build();
    // when
    WrittenReport written = new ReportWriter(store).write(report, RUN);
    // then every link and image source resolves, from report/ back to the run's renders
    assertThat(written.indexKey()).isEqualTo(RUN + "report/index.html");
    ReportLinkChecker.Result links = ReportLinkChecker.check(store, written.indexKey());
    assertThat(links.broken()).isEmpty();
    assertThat(links.links()).contains(
        "../render/base/a.png", "../render/adapted/a.png", "../teacher/a.png", "thumbs/a-1.png",
        "thumbs/a-2.png", "thumbs/a-0.png", "../render/base/b.png", "../input/rejects.jsonl");
    assertThat(links.links()).noneMatch(link -> link.contains("://"));
    // and thumbnails keep the aspect ratio: large images shrink to fit, small ones grow by whole pixels
    assertThat(written.thumbnailKeys()).hasSize(5);
    BufferedImage thumb = read(RUN + "report/thumbs/a-1.png");
    assertThat(thumb.getWidth()).isEqualTo(ReportWriter.DEFAULT_THUMBNAIL_SIZE);
    assertThat(thumb.getHeight()).isEqualTo(ReportWriter.DEFAULT_THUMBNAIL_SIZE / 2);
    assertThat(read(RUN + "report/thumbs/b-1.png").getWidth()).isEqualTo(256);
    assertThat(written.missingImages()).isEmpty();
    // and each image's own size is written under it; an item without a teacher image says so
    String html = page(written);
    assertThat(html).contains("<figcaption>512×256</figcaption>", "<figcaption>128×128</figcaption>", "<span class=\"empty\">none</span>");
  }

  @Test
  void escapesEveryTextTheUserControls() throws Exception {
    // given a prompt, a config value and a note that try to inject markup
    putPng(RUN + "render/base/x.png", 32, 32, Color.RED);
    putPng(RUN + "render/adapted/x.png", 32, 32, Color.BLUE);
    RunReport report = RunReport.builder().setRunId("r-1")
        .optManifest("s3://bucket/<b>m</b>.jsonl")
        .optConfiguration(Map.of("render.prompt-suffix", "</td><script>alert(1)</script>"))
        .addGalleryEntry(entry("x", "<script>alert('x')</script> & \"q\"", 1, "render/base/x.png", "render/adapted/x.png", null))
        .addNote("<img src=x onerror=alert(2)>")
        .build();
    // when
    String html = page(new ReportWriter(store).write(report, RUN));
    // then no injected tag survives, and the text is shown escaped
    assertThat(html.toLowerCase()).doesNotContain("<script").doesNotContain("<b>").doesNotContain("<img src=x");
    assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    assertThat(html).contains("&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(html).contains("&lt;img src=x onerror=alert(2)&gt;");
    assertThat(ReportLinkChecker.check(store, RUN + "report/index.html").broken()).isEmpty();
  }

  @Test
  void theLossCurveHasOnePointPerLossEntryWithAxesAndLabels() throws Exception {
    // given a decreasing loss over 50 steps
    RunReport.Builder builder = RunReport.builder().setRunId("r-1");
    for (int step = 1; step <= 50; step++) builder.addLoss(step * 10L, 1.0 / step, 1.0);
    builder.addCheckpoint(250).addCheckpoint(500);
    // when
    String html = page(new ReportWriter(store).write(builder.build(), RUN));
    // then
    Matcher polyline = Pattern.compile("<polyline class=\"raw\"[^>]*points=\"([^\"]*)\"").matcher(html);
    assertThat(polyline.find()).isTrue();
    String[] vertices = polyline.group(1).trim().split(" ");
    assertThat(vertices).hasSize(50);
    List<double[]> xy = new ArrayList<>();
    for (String vertex : vertices) {
      String[] parts = vertex.split(",");
      xy.add(new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])});
    }
    for (int i = 1; i < xy.size(); i++) {
      assertThat(xy.get(i)[0]).as("x grows with the step").isGreaterThan(xy.get(i - 1)[0]);
      assertThat(xy.get(i)[1]).as("lower loss is drawn lower (larger y)").isGreaterThan(xy.get(i - 1)[1]);
    }
    assertThat(xy).allSatisfy(p -> {
      assertThat(p[0]).isBetween(0.0, (double) LossChart.WIDTH);
      assertThat(p[1]).isBetween(0.0, (double) LossChart.HEIGHT);
    });
    assertThat(html).contains(">step</text>").contains(">loss</text>").contains(">500</text>")
        .contains("<line class=\"axis\"");
    assertThat(polyline.find()).as("a single raw curve").isFalse();
    // and its moving average is drawn over it, with one dashed line per checkpoint (and one in the legend)
    assertThat(html).containsOnlyOnce("<polyline class=\"ema\"");
    assertThat(Pattern.compile("<line class=\"checkpoint\"").matcher(html).results().count()).isEqualTo(3);
  }

  @Test
  void anEmptyLossHistoryAndMissingRendersStillGiveAValidReport() throws Exception {
    // given a gallery entry whose adapted render never appeared, and one unreadable render
    putPng(RUN + "render/base/a.png", 64, 64, Color.RED);
    store.put(RUN + "render/base/b.png", "not a png".getBytes(StandardCharsets.UTF_8));
    RunReport report = RunReport.builder().setRunId("r-1")
        .addGalleryEntry(entry("a", "p", 1, "render/base/a.png", "render/adapted/a.png", null))
        .addGalleryEntry(entry("b", "q", 2, "render/base/b.png", "render/adapted/b.png", null))
        .optRejects(new Rejects(4, "input/rejects.jsonl"))
        .build();
    // when
    WrittenReport written = new ReportWriter(store).write(report, RUN);
    // then the page says what is missing, links nothing that is absent, and lists it in the summary
    String html = page(written);
    assertThat(html).contains("No loss history was recorded").doesNotContain("<svg");
    assertThat(html).contains("adapted image is missing").contains("base image is unreadable");
    assertThat(html).contains("input/rejects.jsonl, not found");
    assertThat(ReportLinkChecker.check(store, written.indexKey()).broken()).isEmpty();
    assertThat(written.missingImages())
        .containsExactly("render/adapted/a.png", "render/base/b.png", "render/adapted/b.png");
    JsonNode totals = new ObjectMapper().readTree(bytes(written.summaryKey())).get("totals");
    assertThat(totals.get("missingImages")).hasSize(3);
    assertThat(totals.get("lossSteps").asInt()).isZero();
    assertThat(totals.has("finalLoss")).isFalse();
  }

  @Test
  void summaryJsonHoldsTheSameNumbersAsTheReport() throws Exception {
    // given
    RunReport report = sample().build();
    // when
    WrittenReport written = new ReportWriter(store).write(report, RUN);
    // then it reads back as the same report, with totals that agree
    byte[] json = bytes(written.summaryKey());
    assertThat(ReportJson.read(json)).isEqualTo(report);
    JsonNode root = new ObjectMapper().readTree(json);
    assertThat(root.get("schema").asText()).isEqualTo(ReportJson.SCHEMA);
    assertThat(root.get("totals").get("stageMillis").asLong()).isEqualTo(1500 + 62_000 + 400);
    assertThat(root.get("totals").get("tasksDone").asInt()).isEqualTo(4 + 1 + 2);
    assertThat(root.get("totals").get("tasksReused").asInt()).isEqualTo(3);
    assertThat(root.get("totals").get("finalLoss").asDouble()).isEqualTo(0.25);
    assertThat(root.get("totals").get("minLoss").asDouble()).isEqualTo(0.2);
    assertThat(root.get("metrics").get("rows").get(1).get("values").get("teacher_mse").asDouble()).isEqualTo(0.0123);
    // and the page shows the same figures
    String html = page(written);
    assertThat(html).contains("<td>adapt</td><td class=\"num\">1 min 02 s</td><td class=\"num\">1</td>");
    assertThat(html).contains("<td class=\"num\">0.01230</td>").contains("<td class=\"num\">—</td>");
    assertThat(html).contains("0.2500 at step 30");
    assertThat(html).contains("<code>adapt.rank</code></td><td>16</td>");
  }

  @Test
  void theSummaryAndSummaryJsonStateTheRecipeAndWhatDeviatedFromIt() throws Exception {
    // given a urae-2k run whose steps were cut to 30
    RunReport report = sample()
        .optRecipe(new RecipeUse("urae-2k", List.of(new RecipeUse.Deviation("adapt.steps", "2000", "30"))))
        .build();
    // when
    WrittenReport written = new ReportWriter(store).write(report, RUN);
    // then
    assertThat(page(written)).contains("<dt>Recipe</dt><dd><code>urae-2k</code>, deviating in <code>adapt.steps = 30</code> (recipe: 2000)</dd>");
    byte[] json = bytes(written.summaryKey());
    JsonNode recipe = new ObjectMapper().readTree(json).get("recipe");
    assertThat(recipe.get("name").asText()).isEqualTo("urae-2k");
    assertThat(recipe.get("deviations").get(0).get("option").asText()).isEqualTo("adapt.steps");
    assertThat(recipe.get("deviations").get(0).get("runValue").asText()).isEqualTo("30");
    assertThat(ReportJson.read(json)).isEqualTo(report);
  }

  @Test
  void aRunWithoutRecipeSaysItRanTheDemoDefaults() throws Exception {
    WrittenReport written = new ReportWriter(store).write(sample().build(), RUN);
    assertThat(page(written)).contains("<dt>Recipe</dt><dd>none (the demo defaults)</dd>");
  }

  @Test
  void theComputeSectionAndSummaryShowEachStagesWallAndCpuTime() throws Exception {
    // given two stages whose tasks recorded their compute
    RunReport report = sample()
        .addCompute(new StageCompute("teacher", 4, 90_000, 7_200_000))
        .addCompute(new StageCompute("adapt", 1, 62_000, 1_800_000))
        .build();
    // when
    WrittenReport written = new ReportWriter(store).write(report, RUN);
    // then the page has one row per stage, CPU time also in hours
    String html = page(written);
    assertThat(html).contains("<h2>Compute</h2>")
        .contains("<td>teacher</td><td class=\"num\">4</td><td class=\"num\">1 min 30 s</td><td class=\"num\">2 h 00 min</td><td class=\"num\">2.000</td>")
        .contains("<td>adapt</td><td class=\"num\">1</td><td class=\"num\">1 min 02 s</td><td class=\"num\">30 min 00 s</td><td class=\"num\">0.5000</td>");
    // and summary.json carries it per stage and in the totals, and reads back as the same report
    byte[] json = bytes(written.summaryKey());
    JsonNode root = new ObjectMapper().readTree(json);
    assertThat(root.get("compute").get(0).get("cpuMillis").asLong()).isEqualTo(7_200_000);
    assertThat(root.get("totals").get("computeWallMillis").asLong()).isEqualTo(152_000);
    assertThat(root.get("totals").get("computeCpuMillis").asLong()).isEqualTo(9_000_000);
    assertThat(ReportJson.read(json)).isEqualTo(report);
  }

  @Test
  void theBatchComputeSectionAndSummaryShowGpuAndVcpuHoursCapacityAndTheEstimatedCost() throws Exception {
    // given an AWS run: adapt on GPUs (one Spot attempt reclaimed, retried on-demand), report on Fargate
    String prices = "on-demand list prices, us-east-1, 2025-06; Spot at 50% of on-demand";
    RunReport report = sample()
        .addBatchCompute(new StageBatchCompute("adapt", 2, 3.0, 24.0, 1.0, 2.0, 0, 0, 5.6, 0, prices))
        .addBatchCompute(new StageBatchCompute("report", 1, 0, 0.5, 0, 0, 0.5, 0, 0.02, 1, prices))
        .build();
    // when
    WrittenReport written = new ReportWriter(store).write(report, RUN);
    // then the page has a row per stage, the total, the price table's date and the unpriced attempt
    String html = page(written);
    assertThat(html).contains("<h2>AWS Batch compute and estimated cost</h2>")
        .contains("<td>adapt</td><td class=\"num\">2</td><td class=\"num\">3.000</td><td class=\"num\">24.00</td>"
            + "<td class=\"num\">1.000</td><td class=\"num\">2.000</td><td class=\"num\">0.000</td><td class=\"num\">0.000</td>"
            + "<td class=\"num\">5.60</td>")
        .contains("<td class=\"num\">5.62</td>")
        .contains("Prices: " + prices)
        .contains("1 attempt(s) have no price");
    // and summary.json carries it per stage and in the totals, and reads back as the same report
    byte[] json = bytes(written.summaryKey());
    JsonNode root = new ObjectMapper().readTree(json);
    assertThat(root.get("batchCompute").get(0).get("spotHours").asDouble()).isEqualTo(1.0);
    assertThat(root.get("batchCompute").get(0).get("prices").asText()).isEqualTo(prices);
    assertThat(root.get("totals").get("gpuHours").asDouble()).isEqualTo(3.0);
    assertThat(root.get("totals").get("vcpuHours").asDouble()).isEqualTo(24.5);
    assertThat(root.get("totals").get("estimatedCostUsd").asDouble()).isCloseTo(5.62, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(ReportJson.read(json)).isEqualTo(report);
  }

  @Test
  void aLocalRunHasNoBatchComputeSection() throws Exception {
    WrittenReport written = new ReportWriter(store).write(sample().addCompute(new StageCompute("adapt", 1, 1000, 900)).build(), RUN);
    assertThat(page(written)).doesNotContain("AWS Batch compute");
  }

  @Test
  void aReportWithoutMeasuredComputeSaysSo() throws Exception {
    // when
    WrittenReport written = new ReportWriter(store).write(sample().build(), RUN);
    // then
    assertThat(page(written)).contains("No task recorded its compute.");
  }

  @Test
  void aSingleStepAndNonFiniteLossesAreDrawnAndSummarisedSafely() throws Exception {
    // given one finite loss and one that diverged
    RunReport report = RunReport.builder().setRunId("r-1").addLoss(1, 0.7, 1.0).addLoss(2, Double.NaN, 1.0).build();
    // when
    WrittenReport written = new ReportWriter(store).write(report, RUN);
    // then the finite point is drawn inside the plot, the other is mentioned, and the JSON round-trips
    String html = page(written);
    Matcher polyline = Pattern.compile("<polyline class=\"raw\"[^>]*points=\"([^\"]*)\"").matcher(html);
    assertThat(polyline.find()).isTrue();
    assertThat(polyline.group(1).trim().split(" ")).hasSize(1);
    assertThat(polyline.group(1)).doesNotContain("NaN").doesNotContain("Infinity");
    assertThat(html).contains("1 steps with a non-finite loss are not drawn");
    assertThat(ReportJson.read(bytes(written.summaryKey()))).isEqualTo(report);
  }

  private RunReport.Builder sample() {
    return RunReport.builder()
        .setRunId("r-1")
        .optManifest("examples/demo/prompts.jsonl")
        .optFinishedAt("2026-11-26T06:00:00Z")
        .optConfiguration(Map.of("adapt.rank", "16", "adapt.kind", "lora"))
        .addStage(new StageSummary("teacher", 1500, 4, 0, 0, 3))
        .addStage(new StageSummary("adapt", 62_000, 1, 0, 0, 0))
        .addStage(new StageSummary("render", 400, 2, 1, 1, 0))
        .addLoss(10, 0.5, 1.0)
        .addLoss(20, 0.2, 1.0)
        .addLoss(30, 0.25, 1.0)
        .optMetrics(new MetricTable("adaptation improved teacher mse", List.of("teacher_mse", "hf_energy"), List.of(
            new MetricTable.Row("base", Map.of("teacher_mse", 0.0456, "hf_energy", 0.1)),
            new MetricTable.Row("adapted", Map.of("teacher_mse", 0.0123)))))
        .addNote("quick profile");
  }

  @Test
  void theMovingAverageStartsAtTheFirstLossAndFollowsWithDecayNineTenths() {
    // given a loss of 1 then 0, 0: the average is 1, then 0.09/0.19, then 0.081/0.271 (start-up bias removed)
    List<Double> ema = LossChart.ema(List.of(1.0, 0.0, 0.0));
    assertThat(ema.get(0)).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(ema.get(1)).isEqualTo(0.09 / 0.19, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(ema.get(2)).isEqualTo(0.081 / 0.271, org.assertj.core.api.Assertions.within(1e-12));
  }

  /** A gallery row with the columns teacher | base | adapted. */
  private static GalleryEntry entry(String id, String prompt, long seed, String base, String adapted, String teacher) {
    return new GalleryEntry(id, prompt, seed, List.of(new GalleryEntry.Panel("teacher", teacher), new GalleryEntry.Panel("base", base),
        new GalleryEntry.Panel("adapted", adapted)));
  }

  @Test
  void smallImagesAreEnlargedWithWholePixels() throws Exception {
    // given a 2x2 image with four colours
    BufferedImage tiny = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    tiny.setRGB(0, 0, 0xff0000);
    tiny.setRGB(1, 0, 0x00ff00);
    tiny.setRGB(0, 1, 0x0000ff);
    tiny.setRGB(1, 1, 0xffffff);
    // when
    BufferedImage thumb = new ReportWriter(store, 16).thumbnail(tiny);
    // then every source pixel is an 8x8 square of its own colour
    assertThat(thumb.getWidth()).isEqualTo(16);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) assertThat(thumb.getRGB(x, y) & 0xffffff).isEqualTo(tiny.getRGB(x / 8, y / 8) & 0xffffff);
    }
  }

  private void putPng(String key, int width, int height, Color color) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    store.put(key, out.toByteArray());
  }

  private BufferedImage read(String key) throws IOException {
    try (InputStream in = store.get(key)) {
      return ImageIO.read(in);
    }
  }

  private byte[] bytes(String key) throws IOException {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    }
  }

  private String page(WrittenReport written) throws IOException {
    return new String(bytes(written.indexKey()), StandardCharsets.UTF_8);
  }
}
