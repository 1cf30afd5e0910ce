package dev.urae.batch.stages.cache;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.batch.stages.CachedFeatures;
import dev.urae.batch.stages.teacher.TeacherHandler;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.FileObjectStore;
import dev.urae.infra.store.ObjectInfo;
import dev.urae.model.codec.LatentPosterior;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.text.UraeCachedFeatures;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache stage on the demo base model: the posterior and URAE's text files per teacher image, batched by size, kept when present. */
class CacheHandlerTest {
  private static final String SHARD = "runs/r1/input/shard-00000.jsonl";
  @TempDir Path root;

  private static TaskSpec spec(FileObjectStore store, String stage, int batchSize) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    params.put("cache.batch-size", Integer.toString(batchSize));
    return new TaskSpec("r1", stage, "shard-00000", store.root(), List.of(SHARD), params);
  }

  /** Three teacher images, two of 32² and one of 48², so a batch of two holds the first pair and the rest go alone. */
  private FileObjectStore taughtStore() throws Exception {
    FileObjectStore store = new FileObjectStore(root);
    store.put(SHARD, """
        {"line":1,"id":"a","prompt":"a large red circle at the center on a white background","seed":1,"width":32,"height":32}
        {"line":2,"id":"b","prompt":"a small blue square at the top left on a black background","seed":2,"width":32,"height":32}
        {"line":3,"id":"c","prompt":"a large green triangle at the center on a white background","seed":3,"width":48,"height":48}
        """.getBytes(StandardCharsets.UTF_8));
    new TeacherHandler().run(spec(store, "teacher", 2), new TaskContext(store));
    return store;
  }

  @Test
  void writesThePosteriorAndBothCaptionsFeaturesPerTeacherImage() throws Exception {
    // given
    FileObjectStore store = taughtStore();
    TaskContext context = new TaskContext(store);
    // when
    new CacheHandler().run(spec(store, "cache", 2), context);
    // then
    try (NDManager manager = NDManager.newBaseManager()) {
      for (String id : List.of("a", "b", "c")) {
        Path latents = store.path("runs/r1/cache/" + id + "_latents.safetensors");
        LatentPosterior posterior = CachedFeatures.posterior(latents, id, manager);
        // the demo's identity codec: the image itself as mean, std 0
        assertThat(posterior.mean().getShape().getShape()).containsExactly(3, id.equals("c") ? 48 : 32, id.equals("c") ? 48 : 32);
        assertThat(posterior.deterministic()).isTrue();
        assertThat(CachedFeatures.latentsInfo(latents, id)).isEqualTo(new CachedFeatures.LatentsInfo("identity-rgb", id));
        for (String text : List.of("_prompt_embed", "_generated_prompt_embed")) {
          try (SafeTensorsFile f = SafeTensorsFile.open(store.path("runs/r1/cache/" + id + text + ".safetensors"))) {
            assertThat(f.names()).contains(UraeCachedFeatures.T5, UraeCachedFeatures.CLIP);
            assertThat(f.entry(UraeCachedFeatures.T5).shape().dimension()).isEqualTo(2);
          }
        }
      }
      String prompt = CachedFeatures.prompt(store.path("runs/r1/cache/a_prompt_embed.safetensors"), "a");
      String generated = CachedFeatures.prompt(store.path("runs/r1/cache/a_generated_prompt_embed.safetensors"), "a");
      assertThat(prompt).isEqualTo("a large red circle at the center on a white background");
      assertThat(generated).isNotEqualTo(prompt).contains("red circle");
    }
    assertThat(context.outputs()).hasSize(9);
  }

  @Test
  void anEncoderPassHoldsTheBatchSizeButAtMostFourMegapixels() {
    assertThat(CacheHandler.capacity(4, new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB))).isEqualTo(4);
    assertThat(CacheHandler.capacity(4, new BufferedImage(1536, 1024, BufferedImage.TYPE_INT_RGB))).isEqualTo(2);
    assertThat(CacheHandler.capacity(4, new BufferedImage(2048, 2048, BufferedImage.TYPE_INT_RGB))).isEqualTo(1);
    assertThat(CacheHandler.capacity(4, new BufferedImage(4096, 4096, BufferedImage.TYPE_INT_RGB))).isEqualTo(1);
  }

  @Test
  void itemsAlreadyCachedAreKeptAndRecordedAndTheOthersEncoded() throws Exception {
    // given a cache stage that ran, then lost one item's files
    FileObjectStore store = taughtStore();
    new CacheHandler().run(spec(store, "cache", 2), new TaskContext(store));
    Path kept = store.path("runs/r1/cache/a_latents.safetensors");
    FileTime written = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(kept, written);
    store.delete("runs/r1/cache/b_latents.safetensors");
    TaskContext again = new TaskContext(store);
    // when
    new CacheHandler().run(spec(store, "cache", 2), again);
    // then
    assertThat(Files.getLastModifiedTime(kept)).isEqualTo(written);
    assertThat(store.exists("runs/r1/cache/b_latents.safetensors")).isTrue();
    assertThat(again.outputs()).extracting(ObjectInfo::key).hasSize(9).contains("runs/r1/cache/a_latents.safetensors",
        "runs/r1/cache/a_prompt_embed.safetensors", "runs/r1/cache/b_latents.safetensors");
  }
}
