package dev.urae.batch.stages.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.urae.batch.ingest.Ingest;
import dev.urae.batch.job.RunContext;
import dev.urae.batch.manifest.ItemDefaults;
import dev.urae.batch.manifest.ManifestSource;
import dev.urae.batch.run.RunConfig;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.FileObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which prompts the render stage plans: held-out items, or a separate render manifest. */
class RenderPlanTest {
  @TempDir Path root;

  private RunContext ingest(FileObjectStore store, String manifest, String renderManifest) throws Exception {
    RunLayout layout = new RunLayout("run1");
    ItemDefaults defaults = new ItemDefaults(64, 64);
    var main = new Ingest(store, layout, 2, defaults)
        .run(ManifestSource.of(Files.writeString(root.resolve("m.jsonl"), manifest).toString()), n -> {});
    if (renderManifest != null) {
      new Ingest(store, layout, 2, defaults, RunLayout.RENDER_SET)
          .run(ManifestSource.of(Files.writeString(root.resolve("r.jsonl"), renderManifest).toString()), n -> {});
    }
    RunConfig config = RunConfig.builder().set("shard-size", 2).set("max-rejects", 0).set("width", 64).set("height", 64)
        .setAll(PipelineOptions.resolve(java.util.Map.of(), false)).build();
    return new RunContext("run1", layout, store, config, main.shards(), main.accepted(), List.of());
  }

  private static final String MANIFEST = """
      {"id":"a","prompt":"one"}
      {"id":"b","prompt":"two","tags":{"split":"render"}}
      {"id":"c","prompt":"three"}
      """;

  @Test
  void rendersTheHeldOutItemsOfTheManifest() throws Exception {
    // given
    RunContext run = ingest(new FileObjectStore(root.resolve("store")), MANIFEST, null);
    // when
    List<TaskSpec> tasks = new RenderStage().plan(run);
    // then
    assertThat(tasks).singleElement().satisfies(t -> assertThat(t.param(StageParams.RENDER_ITEMS, "")).isEqualTo("b"));
  }

  @Test
  void aRenderManifestReplacesTheHeldOutItemsWithItsOwnShards() throws Exception {
    // given
    RunContext run = ingest(new FileObjectStore(root.resolve("store")), MANIFEST,
        "{\"id\":\"x\",\"prompt\":\"four\"}\n{\"id\":\"y\",\"prompt\":\"five\"}\n{\"id\":\"z\",\"prompt\":\"six\"}\n");
    // when
    List<TaskSpec> tasks = new RenderStage().plan(run);
    // then: shard size 2 gives two render tasks, reading the render manifest's shards
    assertThat(tasks).extracting(t -> t.param(StageParams.RENDER_ITEMS, "")).containsExactly("x,y", "z");
    assertThat(tasks.get(0).inputs()).containsExactly(
        "runs/run1/input/render-shard-00000.jsonl", "runs/run1/input/render-shard-00001.jsonl");
    assertThat(run.store().exists("runs/run1/input/render-manifest.jsonl")).isTrue();
    assertThat(run.store().exists("runs/run1/input/render-rejects.jsonl")).isTrue();
  }
}
