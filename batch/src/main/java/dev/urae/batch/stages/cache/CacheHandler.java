package dev.urae.batch.stages.cache;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.CachedFeatures;
import dev.urae.batch.stages.ItemSplit;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.batch.stages.StageMemoryCheck;
import dev.urae.batch.stages.StageTask;
import dev.urae.batch.stages.TeacherItem;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.model.base.BaseModel;
import dev.urae.model.codec.LatentCodec;
import dev.urae.model.codec.LatentPosterior;
import dev.urae.model.image.ImageTensors;
import dev.urae.model.image.PngImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Worker code of the cache stage: for every teacher image of the shard, the VAE posterior (mean,
 * std) at the image's own size and the T5 + CLIP features of both captions are computed once and
 * stored ({@link CachedFeatures}), so training never runs the encoders. Images of the same size
 * go through the encoder together, {@code cache.batch-size} at a time up to four megapixels per
 * pass ({@link #capacity}). An item whose latents are
 * already there (format and codec of this build) is kept as it is: the latents are written last,
 * so their presence means the item's text features were written before them.
 */
public final class CacheHandler implements TaskHandler {
  @Override
  public String stage() {
    return StageNames.CACHE;
  }

  /** Pixels one encoder pass may hold: four 1024² images. */
  static final long PIXELS_PER_PASS = 4L * 1024 * 1024;

  /** A teacher image waiting for its batch, with its captions. */
  private record Pending(ManifestItem item, BufferedImage image, String generatedPrompt) {}

  @Override
  public void run(TaskSpec spec, TaskContext context) throws Exception {
    StageTask task = StageTask.of(spec, context);
    StageMemoryCheck.requireForTraining(StageNames.CACHE, task);
    int batchSize = task.params().integer(PipelineOptions.CACHE_BATCH_SIZE);
    if (batchSize < 1) {
      throw new IllegalArgumentException("pipeline option " + PipelineOptions.CACHE_BATCH_SIZE + " must be 1 or more, got " + batchSize);
    }
    try (NDManager manager = NDManager.newBaseManager(context.device());
        BaseModel base = BaseModels.load(task.params(), manager);
        ScratchFiles scratch = new ScratchFiles()) {
      Map<String, List<Pending>> bySize = new LinkedHashMap<>();
      for (ManifestItem item : ItemSplit.training(task.store(), spec.inputs().get(0))) {
        if (!task.store().exists(task.layout().teacherImage(item.id()))) continue; // refused by the teacher: nothing to learn from
        if (alreadyCached(task, item, base.latentCodec(), scratch)) continue;
        Pending pending = read(task, item);
        String size = pending.image().getWidth() + "x" + pending.image().getHeight();
        List<Pending> batch = bySize.computeIfAbsent(size, s -> new ArrayList<>());
        batch.add(pending);
        if (batch.size() >= capacity(batchSize, pending.image())) encode(bySize.remove(size), base, task, manager, scratch);
      }
      for (List<Pending> batch : bySize.values()) encode(batch, base, task, manager, scratch);
    }
  }

  /**
   * Images of this size per encoder pass: {@code cache.batch-size}, but no more than {@link
   * #PIXELS_PER_PASS} pixels, so that at 2K and above every image goes alone and the memory plan's
   * one-image figure holds.
   */
  static int capacity(int batchSize, BufferedImage image) {
    long pixels = (long) image.getWidth() * image.getHeight();
    return (int) Math.max(1, Math.min(batchSize, PIXELS_PER_PASS / pixels));
  }

  /** Whether the item's latents are in the store, of this format and codec; if so its outputs are recorded as reused. */
  private static boolean alreadyCached(StageTask task, ManifestItem item, LatentCodec codec, ScratchFiles scratch) throws IOException {
    String key = task.layout().cachedLatents(item.id());
    if (!task.store().exists(key)) return false;
    CachedFeatures.LatentsInfo info;
    try {
      info = CachedFeatures.latentsInfo(scratch.fetch(task.store(), key), task.store().uri(key).toString());
    } catch (IOException otherFormat) {
      return false; // encoded again and overwritten
    }
    if (!info.codecId().equals(codec.id())) return false;
    task.context().reuse(task.layout().cachedText(item.id(), false));
    task.context().reuse(task.layout().cachedText(item.id(), true));
    task.context().reuse(key);
    return true;
  }

  private static Pending read(StageTask task, ManifestItem item) throws IOException {
    PngImages.PngImage png;
    try (InputStream in = task.store().get(task.layout().teacherImage(item.id()))) {
      png = PngImages.decode(in.readAllBytes());
    }
    TeacherItem caption;
    try (InputStream in = task.store().get(task.layout().teacherCaption(item.id()))) {
      caption = TeacherItem.read(in);
    }
    return new Pending(item, png.image(), caption.generatedPrompt() != null ? caption.generatedPrompt() : item.prompt());
  }

  /** One encoder pass over same-sized images, then each item's files: text features first, latents last. */
  private static void encode(List<Pending> batch, BaseModel base, StageTask task, NDManager manager, ScratchFiles scratch)
      throws IOException {
    LatentCodec codec = base.latentCodec();
    try (NDManager scope = manager.newSubManager()) {
      NDList images = new NDList();
      for (Pending p : batch) images.add(ImageTensors.toTensor(p.image(), scope).expandDims(0));
      LatentPosterior posterior = codec.encodePosterior(NDArrays.concat(images, 0));
      for (int i = 0; i < batch.size(); i++) {
        ManifestItem item = batch.get(i).item();
        putText(task, scratch, scope, base, item, false, item.prompt());
        putText(task, scratch, scope, base, item, true, batch.get(i).generatedPrompt());
        Path latents = scratch.path(item.id() + "_latents");
        CachedFeatures.writeLatents(latents, new LatentPosterior(posterior.mean().get(i), posterior.std().get(i)), codec.id(), item.id());
        task.context().putFile(task.layout().cachedLatents(item.id()), latents);
      }
    }
  }

  private static void putText(StageTask task, ScratchFiles scratch, NDManager scope, BaseModel base, ManifestItem item,
      boolean generated, String prompt) throws IOException {
    Path file = scratch.path(item.id() + (generated ? "_generated_prompt_embed" : "_prompt_embed"));
    CachedFeatures.writeText(file, prompt, base.textEncoder().encode(prompt, scope), scope);
    task.context().putFile(task.layout().cachedText(item.id(), generated), file);
  }
}
