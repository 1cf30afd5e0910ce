package dev.urae.tests.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.tests.support.UraeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * URAE's 2K -> 4K chain through the CLI on the demo world: a LoRA run, then {@code --recipe
 * urae-4k --from-adapter <that run>} at the demo's size. The second run trains minor components
 * on the base with the first run's LoRA fused in and exports one LoRA, A = [−a₀; a_t; A_2k],
 * B = [b₀, b_t, B_2k], whose last rows and columns are the first run's adapter verbatim; the
 * report names the recipe and what deviated from it. Without {@code --from-adapter} the launch
 * refuses before any run starts.
 */
class ChainedRecipeEndToEndTest {
  private static final Path MANIFEST = Path.of("..", "examples", "demo", "prompts.jsonl").toAbsolutePath().normalize();
  private static final String TARGET = "transformer.transformer_blocks.0.attn.to_q";
  @TempDir Path work;

  @Test
  void urae4kChainsOntoTheFirstRunsLoraAndExportsOneLoraForTheOriginalBase() throws Exception {
    // given a finished LoRA run (rank 16, the demo's quick profile)
    Path dataDir = work.resolve("data");
    UraeCli cli = new UraeCli(work, Map.of("URAE_WIDTH", "64", "URAE_HEIGHT", "64"), List.of());
    UraeCli.Result first = cli.run(Duration.ofMinutes(15), "run", MANIFEST.toString(), "--quick", "--data-dir", dataDir.toString());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    Path firstRun = dataDir.resolve("runs").resolve(runId(first));

    // when urae-4k is launched without an adapter to chain, then with the first run's
    UraeCli.Result refused = cli.run(Duration.ofMinutes(5), "run", MANIFEST.toString(), "--quick", "--recipe", "urae-4k", "--data-dir",
        dataDir.toString());
    UraeCli.Result second = cli.run(Duration.ofMinutes(15), "run", MANIFEST.toString(), "--quick", "--recipe", "urae-4k",
        "--from-adapter", runId(first), "--data-dir", dataDir.toString());

    // then the first is refused naming the option, and starts nothing
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("recipe urae-4k").contains("--from-adapter FILE|s3://...|RUN_ID");
    assertThat(refused.stdout()).doesNotContain("run ");
    // and the chained run completes, recording and keeping the adapter it chained onto
    assertThat(second.exitCode()).as(second.toString()).isZero();
    Path run = dataDir.resolve("runs").resolve(runId(second));
    byte[] lora2k = Files.readAllBytes(firstRun.resolve("adapt/adapter.safetensors"));
    assertThat(Files.readAllBytes(run.resolve("input/from-adapter.safetensors"))).isEqualTo(lora2k);
    JsonNode summary = new ObjectMapper().readTree(run.resolve("report/summary.json").toFile());
    assertThat(summary.path("configuration").path("adapt.from-adapter.sha256").asText())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lora2k)));
    assertThat(summary.path("configuration").path("adapt.kind").asText()).isEqualTo("minor");
    // and the export has rank 2·16 + 16, its last 16 ranks being the first run's LoRA as it was
    try (NDManager manager = NDManager.newBaseManager();
        SafeTensorsFile chained = SafeTensorsFile.open(run.resolve("adapt/adapter.safetensors"));
        SafeTensorsFile first2k = SafeTensorsFile.open(firstRun.resolve("adapt/adapter.safetensors"))) {
      NDArray a = chained.load(TARGET + ".lora_A.weight", manager);
      NDArray b = chained.load(TARGET + ".lora_B.weight", manager);
      assertThat(a.getShape().get(0)).isEqualTo(48);
      assertThat(b.getShape().get(1)).isEqualTo(48);
      assertThat(a.get(new NDIndex("32:")).toFloatArray()).containsExactly(first2k.load(TARGET + ".lora_A.weight", manager).toFloatArray());
      assertThat(b.get(new NDIndex(":, 32:")).toFloatArray()).containsExactly(first2k.load(TARGET + ".lora_B.weight", manager).toFloatArray());
    }
    // and the report names the recipe and the settings the quick profile and the demo size changed
    JsonNode recipe = summary.path("recipe");
    assertThat(recipe.path("name").asText()).isEqualTo("urae-4k");
    assertThat(recipe.path("deviations").findValuesAsText("option")).contains("adapt.steps", "render.steps", "width", "height");
    assertThat(Files.readString(run.resolve("report/index.html"))).contains("<dt>Recipe</dt><dd><code>urae-4k</code>, deviating in");
  }

  private static String runId(UraeCli.Result result) {
    return result.stdout().lines().findFirst().orElseThrow().substring(4).strip();
  }
}
