package dev.urae.batch.stages.render;

import ai.djl.ndarray.NDManager;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.ItemSplit;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.RenderMetrics;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.stages.StageTask;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.model.adapter.DiffusersLora;
import dev.urae.model.base.BaseModel;
import dev.urae.model.base.GroundTruth;
import dev.urae.model.base.ImageScore;
import dev.urae.model.base.Renderer;
import dev.urae.model.image.PngImages;
import dev.urae.model.image.RenderInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Worker code of the render stage: each item of the task is rendered by the base model alone at
 * the item's size ({@code render/base/<id>.png}) and at the model's native resolution
 * ({@code render/base-native/<id>.png}), and with the trained adapter at the item's size
 * ({@code render/<id>.png}), all from the item's seed, with prompt, seed, steps, guidance, model
 * and adapter in PNG text chunks. For square prompts of the demo grammar, the three renders are
 * scored against the scene's known truth ({@code render/<id>.metrics.json}, see {@link RenderMetrics}).
 */
public final class RenderHandler implements TaskHandler {
  @Override
  public String stage() {
    return StageNames.RENDER;
  }

  @Override
  public void run(TaskSpec spec, TaskContext context) throws Exception {
    StageTask task = StageTask.of(spec, context);
    String adapterKey = task.layout().adapter();
    Set<String> wanted = Set.of(spec.requireParam(StageParams.RENDER_ITEMS).split(","));
    List<ManifestItem> items = new ArrayList<>();
    for (String shard : spec.inputs()) {
      ItemSplit.read(task.store(), shard).stream().filter(i -> wanted.contains(i.id())).forEach(items::add);
    }
    String model = task.params().text(PipelineOptions.MODEL);
    Optional<GroundTruth> truth = BaseModels.groundTruth(model);
    try (NDManager manager = NDManager.newBaseManager(context.device());
        BaseModel base = BaseModels.load(task.params(), manager);
        ScratchFiles scratch = new ScratchFiles()) {
      RenderSettings settings = RenderSettings.from(task.params(), model, base.guidanceDefault());
      Renderer renderer = base.renderer(settings.sampling(base.trainSequenceLength()));
      Map<String, Renderer.Image> baseRenders = new LinkedHashMap<>();
      Map<String, Renderer.Image> nativeRenders = new LinkedHashMap<>();
      for (ManifestItem item : items) {
        Renderer.Image image = renderer.render(item.prompt(), item.width(), item.height(), item.seed());
        baseRenders.put(item.id(), image);
        context.put(task.layout().baseRender(item.id()), png(image, item, settings, model, ""));
        // The same prompt and seed at the base's own resolution: what it is good at (and the coarse start of coarse-to-fine).
        int[] size = nativeSize(item, base.nativeResolution());
        Renderer.Image atNative = renderer.render(item.prompt(), size[0], size[1], item.seed());
        nativeRenders.put(item.id(), atNative);
        context.put(task.layout().baseNativeRender(item.id()), png(atNative, item, settings, model, ""));
      }
      DiffusersLora.attach(scratch.fetch(task.store(), adapterKey), base.transformer().linears());
      for (ManifestItem item : items) {
        Renderer.Image adapted = settings.coarseToFine()
            ? renderer.refine(nativeRenders.get(item.id()), settings.coarseSigma(), item.prompt(), item.width(), item.height(), item.seed())
            : renderer.render(item.prompt(), item.width(), item.height(), item.seed());
        context.put(task.layout().adaptedRender(item.id()), png(adapted, item, settings, model, adapterKey));
        if (truth.isPresent() && item.width() == item.height()) {
          Optional<ImageScore> nativeScore = truth.get().score(item.prompt(), nativeRenders.get(item.id()));
          Optional<ImageScore> baseScore = truth.get().score(item.prompt(), baseRenders.get(item.id()));
          Optional<ImageScore> adaptedScore = truth.get().score(item.prompt(), adapted);
          if (nativeScore.isPresent() && baseScore.isPresent() && adaptedScore.isPresent()) {
            context.put(task.layout().renderMetrics(item.id()), new RenderMetrics(RenderMetrics.Score.of(nativeScore.get()),
                RenderMetrics.Score.of(baseScore.get()), RenderMetrics.Score.of(adaptedScore.get())).toJson());
          }
        }
      }
    }
  }

  /** The item's size scaled to the model's native resolution (same area as native², aspect kept, even sides, at least 16). */
  static int[] nativeSize(ManifestItem item, int nativeResolution) {
    double scale = nativeResolution / Math.sqrt((double) item.width() * item.height());
    int w = Math.max(16, (int) Math.round(item.width() * scale));
    int h = Math.max(16, (int) Math.round(item.height() * scale));
    return new int[] {w - w % 2, h - h % 2};
  }

  private static byte[] png(Renderer.Image image, ManifestItem item, RenderSettings settings, String model, String adapter)
      throws IOException {
    RenderInfo info = new RenderInfo(item.prompt(), item.seed(), settings.steps(), settings.guidance(), model,
        adapter.isEmpty() ? null : adapter);
    return PngImages.encode(image.toBufferedImage(), info.toText());
  }
}
