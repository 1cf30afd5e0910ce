package dev.urae.batch.stages.cache;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.batch.json.Json;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.ItemSplit;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.ObjectStore;
import dev.urae.model.base.BaseModel;
import dev.urae.model.codec.LatentCodec;
import dev.urae.model.image.ImageTensors;
import dev.urae.model.image.PngImages;
import dev.urae.model.tensors.SafeTensorsWriter;
import dev.urae.model.text.TextEmbedding;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Worker code of the cache stage: for every teacher image of the shard, the latents and the
 * text features of both captions are computed once and stored as safetensors
 * ({@code cache/<id>_latents.safetensors}, {@code cache/<id>_text.safetensors}), so training
 * never runs the encoders.
 */
public final class CacheHandler implements TaskHandler {
  @Override
  public String stage() {
    return StageNames.CACHE;
  }

  @Override
  public void run(TaskSpec spec, TaskContext context) throws Exception {
    StageParams params = new StageParams(spec);
    ObjectStore store = context.store();
    RunLayout layout = new RunLayout(spec.runId());
    String teacher = layout.stageOutput(StageNames.TEACHER);
    try (NDManager manager = NDManager.newBaseManager();
        BaseModel base = BaseModels.load(params, manager);
        ScratchFiles scratch = new ScratchFiles()) {
      LatentCodec codec = base.latentCodec();
      for (ManifestItem item : ItemSplit.training(store, spec.inputs().get(0))) {
        if (!store.exists(teacher + item.id() + ".png")) continue; // refused by the teacher: nothing to learn from
        try (NDManager scope = manager.newSubManager()) {
          PngImages.PngImage png;
          try (InputStream in = store.get(teacher + item.id() + ".png")) {
            png = PngImages.decode(in.readAllBytes());
          }
          String generated;
          try (InputStream in = store.get(teacher + item.id() + ".json")) {
            generated = Json.MAPPER.readTree(in).path("generated_prompt").asText(item.prompt());
          }
          NDArray latents = codec.encode(ImageTensors.toTensor(png.image(), scope).expandDims(0)).squeeze(0);
          Path latentFile = scratch.path(item.id() + "_latents");
          new SafeTensorsWriter().metadata(Map.of("codec", codec.id(), "item", item.id()))
              .add("latents", latents).write(latentFile);
          TextEmbedding prompt = base.textEncoder().encode(item.prompt(), scope);
          TextEmbedding caption = base.textEncoder().encode(generated, scope);
          Path textFile = scratch.path(item.id() + "_text");
          new SafeTensorsWriter().metadata(Map.of("prompt", item.prompt(), "generated_prompt", generated))
              .add("prompt_sequence", prompt.sequence()).add("prompt_pooled", prompt.pooled())
              .add("caption_sequence", caption.sequence()).add("caption_pooled", caption.pooled())
              .write(textFile);
          context.putFile(layout.cachedLatents(item.id()), latentFile);
          context.putFile(layout.cachedText(item.id()), textFile);
        }
      }
    }
  }
}
