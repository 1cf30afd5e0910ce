package dev.urae.batch.stages.render;

import ai.djl.ndarray.NDManager;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.run.StageNames;
import dev.urae.batch.stages.BaseModels;
import dev.urae.batch.stages.ItemSplit;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.batch.stages.RenderMetrics;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.batch.stages.StageParams;
import dev.urae.batch.task.TaskContext;
import dev.urae.batch.task.TaskHandler;
import dev.urae.batch.task.TaskSpec;
import dev.urae.infra.store.ObjectStore;
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
 * Worker code of the render stage: each item of the task is rendered by the base model alone
 * ({@code render/base/<id>.png}) and with the trained adapter ({@code render/<id>.png}), with
 * prompt, seed, steps, guidance, model and adapter in PNG text chunks. For prompts of the demo
 * grammar, both renders are scored against the scene's known truth ({@link RenderMetrics}).
 */
public final class RenderHandler implements TaskHandler {
  @Override
  public String stage() {
    return StageNames.RENDER;
  }

  @Override
  public void run(TaskSpec spec, TaskContext context) throws Exception {
    StageParams params = new StageParams(spec);
    ObjectStore store = context.store();
    RunLayout layout = new RunLayout(spec.runId());
    String out = layout.stageOutput(StageNames.RENDER);
    String adapterKey = layout.adapter();
    Set<String> wanted = Set.of(spec.requireParam(StageParams.RENDER_ITEMS).split(","));
    List<ManifestItem> items = new ArrayList<>();
    for (String shard : spec.inputs()) {
      ItemSplit.read(store, shard).stream().filter(i -> wanted.contains(i.id())).forEach(items::add);
    }
    String model = params.text(PipelineOptions.MODEL);
    Optional<GroundTruth> truth = dev.urae.model.base.BaseModels.provider(model).groundTruth();
    try (NDManager manager = NDManager.newBaseManager();
        BaseModel base = BaseModels.load(params, manager);
        ScratchFiles scratch = new ScratchFiles()) {
      RenderSettings settings = RenderSettings.from(params, base.guidanceDefault());
      Renderer renderer = base.renderer(settings.sampling(base.trainSequenceLength()));
      Map<String, Renderer.Image> baseRenders = new LinkedHashMap<>();
      Map<String, Renderer.Image> coarse = new LinkedHashMap<>();
      for (ManifestItem item : items) {
        Renderer.Image image = renderer.render(item.prompt(), item.width(), item.height(), item.seed());
        baseRenders.put(item.id(), image);
        context.put(out + "base/" + item.id() + ".png", png(image, item, settings, model, ""));
        if (settings.coarseToFine()) coarse.put(item.id(), renderer.coarse(item.prompt(), item.width(), item.height(), item.seed()));
      }
      DiffusersLora.attach(scratch.fetch(store, adapterKey), base.transformer().linears());
      for (ManifestItem item : items) {
        Renderer.Image adapted = settings.coarseToFine()
            ? renderer.refine(coarse.get(item.id()), settings.coarseSigma(), item.prompt(), item.width(), item.height(), item.seed())
            : renderer.render(item.prompt(), item.width(), item.height(), item.seed());
        context.put(out + item.id() + ".png", png(adapted, item, settings, model, adapterKey));
        Optional<ImageScore> baseScore = truth.flatMap(t -> t.score(item.prompt(), baseRenders.get(item.id())));
        Optional<ImageScore> adaptedScore = truth.flatMap(t -> t.score(item.prompt(), adapted));
        if (baseScore.isPresent() && adaptedScore.isPresent()) {
          context.put(layout.renderMetrics(item.id()), new RenderMetrics(baseScore.get(), adaptedScore.get()).toJson());
        }
      }
    }
  }

  private static byte[] png(Renderer.Image image, ManifestItem item, RenderSettings settings, String model, String adapter)
      throws IOException {
    RenderInfo info = new RenderInfo(item.prompt(), item.seed(), settings.steps(), settings.guidance(), model,
        adapter.isEmpty() ? null : adapter);
    return PngImages.encode(image.toBufferedImage(), info.toText());
  }
}
