package dev.urae.batch.stages.cache;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.CachedFeatures;
import dev.urae.batch.stages.ItemSplit;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.batch.stages.StageTask;
import dev.urae.batch.stages.TeacherItem;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.model.base.BaseModel;
import dev.urae.model.codec.LatentCodec;
import dev.urae.model.image.ImageTensors;
import dev.urae.model.image.PngImages;
import java.io.InputStream;
import java.nio.file.Path;

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
    StageTask task = StageTask.of(spec, context);
    try (NDManager manager = NDManager.newBaseManager(context.device());
        BaseModel base = BaseModels.load(task.params(), manager);
        ScratchFiles scratch = new ScratchFiles()) {
      LatentCodec codec = base.latentCodec();
      for (ManifestItem item : ItemSplit.training(task.store(), spec.inputs().get(0))) {
        if (!task.store().exists(task.layout().teacherImage(item.id()))) continue; // refused by the teacher: nothing to learn from
        try (NDManager scope = manager.newSubManager()) {
          PngImages.PngImage png;
          try (InputStream in = task.store().get(task.layout().teacherImage(item.id()))) {
            png = PngImages.decode(in.readAllBytes());
          }
          TeacherItem caption;
          try (InputStream in = task.store().get(task.layout().teacherCaption(item.id()))) {
            caption = TeacherItem.read(in);
          }
          String generated = caption.generatedPrompt() != null ? caption.generatedPrompt() : item.prompt();
          NDArray latents = codec.encode(ImageTensors.toTensor(png.image(), scope).expandDims(0)).squeeze(0);
          Path latentFile = scratch.path(item.id() + "_latents");
          CachedFeatures.writeLatents(latentFile, latents, codec.id(), item.id());
          Path textFile = scratch.path(item.id() + "_text");
          CachedFeatures.writeText(textFile, new CachedFeatures.Captions(item.prompt(), generated),
              base.textEncoder().encode(item.prompt(), scope), base.textEncoder().encode(generated, scope));
          context.putFile(task.layout().cachedLatents(item.id()), latentFile);
          context.putFile(task.layout().cachedText(item.id()), textFile);
        }
      }
    }
  }
}
