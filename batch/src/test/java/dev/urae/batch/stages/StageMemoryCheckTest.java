package dev.urae.batch.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.batch.stages.render.RenderHandler;
import dev.urae.batch.task.PermanentTaskFailure;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.FileObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory plan a GPU stage and the launch check before any work (on this CPU: against URAE_DEVICE_MEMORY). */
class StageMemoryCheckTest {
  @TempDir Path root;

  @AfterEach
  void forgetTheBudget() {
    System.clearProperty(DeviceMemory.PROPERTY);
  }

  private TaskSpec spec(FileObjectStore store, String stage, int side) throws Exception {
    String shard = "runs/r1/input/shard-00000.jsonl";
    store.put(shard, ("{\"line\":1,\"id\":\"a\",\"prompt\":\"a red circle\",\"seed\":7,\"width\":%d,\"height\":%d}\n"
        .formatted(side, side)).getBytes(StandardCharsets.UTF_8));
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    PipelineOptions.resolve(Map.of(), false).forEach(params::put);
    params.put(StageParams.RENDER_ITEMS, "a");
    return new TaskSpec("r1", stage, "shard-00000", store.root(), List.of(shard), params);
  }

  @Test
  void theRenderStageRefusesWithThePlansTableWhenTheConfiguredMemoryIsTooSmall() throws Exception {
    // given a device budget of 1 MiB and a 64x64 item
    System.setProperty(DeviceMemory.PROPERTY, "1MiB");
    FileObjectStore store = new FileObjectStore(root);
    TaskSpec spec = spec(store, "render", 64);

    // when / then: refused before anything was loaded or written, for good (no retry)
    assertThatThrownBy(() -> new RenderHandler().run(spec, new TaskContext(store)))
        .isInstanceOf(PermanentTaskFailure.class)
        .hasMessageContaining("render refused before it started: the memory plan of demo at 64x64 does not fit the device (0.0 GiB, from URAE_DEVICE_MEMORY)")
        .hasMessageContaining("memory plan: demo at 64x64").hasMessageContaining("stage (GiB)").hasMessageContaining("NO")
        .hasMessageContaining("urae plan --model demo --width 64 --height 64 --adapter lora --rank 16 --optimizer adamw --precision fp32");
    assertThat(store.list("runs/r1/render/")).isEmpty();
  }

  @Test
  void aStageWhosePlanFitsGoesAhead() throws Exception {
    System.setProperty(DeviceMemory.PROPERTY, "16GiB");
    StageParams params = new StageParams(spec(new FileObjectStore(root), "adapt", 64));
    assertThatCode(() -> StageMemoryCheck.require("adapt", params, ItemSplit.read(new FileObjectStore(root), "runs/r1/input/shard-00000.jsonl")))
        .doesNotThrowAnyException();
  }

  @Test
  void withoutABudgetOnTheCpuTheCheckIsSkipped() throws Exception {
    FileObjectStore store = new FileObjectStore(root);
    StageParams params = new StageParams(spec(store, "adapt", 2048));
    assertThatCode(() -> StageMemoryCheck.require("adapt", params, ItemSplit.read(store, "runs/r1/input/shard-00000.jsonl")))
        .doesNotThrowAnyException();
  }

  @Test
  void aRecipeWhoseSizeTheModelCannotReachOnTheDevicesIsRefusedAtLaunch() {
    // given GPUs of 48 GiB and urae-4k (4096²) on the pixel-space demo model: four million tokens
    System.setProperty(DeviceMemory.PROPERTY, "48GiB");
    Map<String, String> demo = PipelineOptions.resolve(Map.of("recipe", "urae-4k", "adapt.from-adapter", "2k.safetensors"), false);

    // when / then
    assertThatThrownBy(() -> StageMemoryCheck.requireAtLaunch(demo, 4096, 4096, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("launch refused before it started: the memory plan of demo at 4096x4096 does not fit the device (48.0 GiB")
        .hasMessageContaining("in adapt (minor r16)").hasMessageContaining("NO");
    // and FLUX.1-dev, whose VAE makes 4096² 65,536 tokens: with checkpointing in bf16 (67.2 GiB)
    // it does not fit a 48 GiB L40S, and fits an 80 GiB GPU
    Map<String, String> flux = PipelineOptions.resolve(Map.of("recipe", "urae-4k", "adapt.from-adapter", "2k.safetensors", "model", "flux-dev"), false);
    assertThatThrownBy(() -> StageMemoryCheck.requireAtLaunch(flux, 4096, 4096, true)).hasMessageContaining("in adapt (minor r16)");
    System.setProperty(DeviceMemory.PROPERTY, "80GiB");
    assertThatCode(() -> StageMemoryCheck.requireAtLaunch(flux, 4096, 4096, true)).doesNotThrowAnyException();
  }

  @Test
  void aSizeOffTheModelsGridIsRefusedAtLaunchNamingTheSettings() {
    Map<String, String> flux = PipelineOptions.resolve(Map.of("model", "flux-dev"), false);
    assertThatThrownBy(() -> StageMemoryCheck.requireAtLaunch(flux, 2056, 2048, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run size 2056x2048 (urae.width / urae.height, or the recipe's)")
        .hasMessageContaining("multiples of 16 for flux-dev");
  }

  @Test
  void aDeviceMemoryThatIsNotASizeIsRefusedNamingTheSetting() {
    System.setProperty(DeviceMemory.PROPERTY, "lots");
    assertThatThrownBy(DeviceMemory::configured).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("URAE_DEVICE_MEMORY / urae.device-memory must look like 80GiB");
  }

  @Test
  void thePlanCountsTheVaeTileTheRunSets() {
    // given FLUX.1-dev at 4096² with the default tiles and with tiling off
    DeviceMemory device = new DeviceMemory(Long.MAX_VALUE, "no limit", true);
    Map<String, String> tiled = PipelineOptions.resolve(Map.of("model", "flux-dev"), false);
    Map<String, String> whole = PipelineOptions.resolve(Map.of("model", "flux-dev", "vae.tile", "off"), false);

    // when
    long tile = StageMemoryCheck.plan(tiled, 4096, 4096, device).orElseThrow().stage("render: VAE decode").vaeTiles();
    long off = StageMemoryCheck.plan(whole, 4096, 4096, device).orElseThrow().stage("render: VAE decode").vaeTiles();

    // then: one 1024² tile against the whole 4096² image (16× the pixels, and more attention scores)
    assertThat(off).isGreaterThan(16 * tile - 1);
  }
}
