package dev.urae.batch.stages.render;

import ai.djl.ndarray.NDManager;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.ItemSplit;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.RenderMetrics;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.batch.stages.StageMemoryCheck;
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
    StageMemoryCheck.require(StageNames.RENDER, task.params(), items);
    String model = task.params().text(PipelineOptions.MODEL);
    Optional<GroundTruth> truth = BaseModels.groundTruth(model);
    try (NDManager manager = NDManager.newBaseManager(context.device());
        BaseModel base = BaseModels.load(task.params(), manager);
        ScratchFiles scratch = new ScratchFiles()) {
      RenderSettings settings = RenderSettings.from(task.params(), model, base.guidanceDefault(), base.interpolatesPositions());
      base.transformer().setPrecision(task.params().precision(PipelineOptions.RENDER_PRECISION, base.transformer().device().isGpu()));
      Renderer renderer = base.renderer(settings.sampling(base.trainSequenceLength(), base.nativeImageTokens()));
      Map<String, Renderer.Image> baseRenders = new LinkedHashMap<>();
      Map<String, Renderer.Image> nativeRenders = new LinkedHashMap<>();
      for (ManifestItem item : items) {
        Renderer.Image image = renderer.render(item.prompt(), item.width(), item.height(), item.seed());
        baseRenders.put(item.id(), image);
        context.put(task.layout().baseRender(item.id()), png(image, item, settings, model, base.weightsDigest(), ""));
        // The same prompt and seed at the base's own resolution: what it is good at (and the coarse start of coarse-to-fine).
        int[] size = nativeSize(item, base.nativeResolution(), 2 * base.latentCodec().downsampling());
        Renderer.Image atNative = renderer.render(item.prompt(), size[0], size[1], item.seed());
        nativeRenders.put(item.id(), atNative);
        context.put(task.layout().baseNativeRender(item.id()), png(atNative, item, settings, model, base.weightsDigest(), ""));
      }
      DiffusersLora.attach(scratch.fetch(task.store(), adapterKey), base.transformer().linears());
      for (ManifestItem item : items) {
        Renderer.Image adapted = settings.coarseToFine()
            ? renderer.refine(nativeRenders.get(item.id()), settings.coarseSigma(), item.prompt(), item.width(), item.height(), item.seed())
            : renderer.render(item.prompt(), item.width(), item.height(), item.seed());
        context.put(task.layout().adaptedRender(item.id()), png(adapted, item, settings, model, base.weightsDigest(), adapterKey));
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

  /**
   * The item's size scaled to the model's native resolution: about the area of native², aspect
   * kept, each side rounded to the model's pixel grid (2 × the codec's downsampling: 16 for
   * FLUX.1, 2 for the demo), at least one grid step.
   */
  static int[] nativeSize(ManifestItem item, int nativeResolution, int grid) {
    double scale = nativeResolution / Math.sqrt((double) item.width() * item.height());
    return new int[] {onGrid(item.width() * scale, grid), onGrid(item.height() * scale, grid)};
  }

  private static int onGrid(double side, int grid) {
    return (int) Math.max(grid, Math.round(side / grid) * grid);
  }

  private static byte[] png(Renderer.Image image, ManifestItem item, RenderSettings settings, String model, String weights, String adapter)
      throws IOException {
    RenderInfo info = new RenderInfo(item.prompt(), item.seed(), settings.steps(), settings.guidance(), model, weights,
        adapter.isEmpty() ? null : adapter);
    return PngImages.encode(image.toBufferedImage(), info.toText());
  }
}
