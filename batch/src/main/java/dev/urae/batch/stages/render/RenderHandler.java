package dev.urae.batch.stages.render;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.batch.json.Json;
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
import dev.urae.model.demo.DemoBaseModel;
import dev.urae.model.demo.DemoImage;
import dev.urae.model.demo.DemoMetric;
import dev.urae.model.demo.DemoScore;
import dev.urae.model.demo.DemoWorld;
import dev.urae.model.demo.PixelSampler;
import dev.urae.model.demo.PromptParser;
import dev.urae.model.demo.SceneDescription;
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
    StageParams params = new StageParams(spec);
    ObjectStore store = context.store();
    RunLayout layout = new RunLayout(spec.runId());
    String adapterKey = layout.adapter();
    Set<String> wanted = Set.of(spec.requireParam(StageParams.RENDER_ITEMS).split(","));
    List<ManifestItem> items = new ArrayList<>();
    for (String shard : spec.inputs()) {
      ItemSplit.read(store, shard).stream().filter(i -> wanted.contains(i.id())).forEach(items::add);
    }
    String model = params.text(PipelineOptions.MODEL);
    RenderSettings settings = RenderSettings.from(params, model);
    try (NDManager manager = NDManager.newBaseManager();
        DemoBaseModel base = BaseModels.load(params, manager);
        ScratchFiles scratch = new ScratchFiles()) {
      PixelSampler renderer = new PixelSampler(base.transformer(), base.textEncoder(), settings.sampling(BaseModels.trainSeqLen(model)));
      Map<String, DemoImage> baseRenders = new LinkedHashMap<>();
      Map<String, DemoImage> nativeRenders = new LinkedHashMap<>();
      for (ManifestItem item : items) {
        DemoImage image = renderer.render(item.prompt(), item.width(), item.height(), item.seed());
        baseRenders.put(item.id(), image);
        context.put(layout.root() + RunLayout.baseRenderPath(item.id()), png(image, item, settings, model, ""));
        // The same prompt and seed at the base's own resolution: what it is good at (and the coarse start of coarse-to-fine).
        int[] size = nativeSize(item, base.nativeResolution());
        DemoImage atNative = renderer.render(item.prompt(), size[0], size[1], item.seed());
        nativeRenders.put(item.id(), atNative);
        context.put(layout.root() + RunLayout.baseNativeRenderPath(item.id()), png(atNative, item, settings, model, ""));
      }
      DiffusersLora.attach(scratch.fetch(store, adapterKey), base.transformer().linears());
      for (ManifestItem item : items) {
        DemoImage adapted = settings.coarseToFine()
            ? renderer.refine(nativeRenders.get(item.id()), settings.coarseSigma(), item.prompt(), item.width(), item.height(), item.seed())
            : renderer.render(item.prompt(), item.width(), item.height(), item.seed());
        context.put(layout.root() + RunLayout.adaptedRenderPath(item.id()), png(adapted, item, settings, model, adapterKey));
        Optional<SceneDescription> scene = PromptParser.parse(item.prompt());
        if (scene.isPresent() && item.width() == item.height()) {
          ObjectNode metrics = JsonNodeFactory.instance.objectNode();
          metrics.set(RenderMetrics.BASE_NATIVE, score(DemoMetric.score(scene.get(), nativeRenders.get(item.id()))));
          metrics.set(RenderMetrics.BASE, score(DemoMetric.score(scene.get(), baseRenders.get(item.id()))));
          metrics.set(RenderMetrics.ADAPTED, score(DemoMetric.score(scene.get(), adapted)));
          context.put(layout.renderMetrics(item.id()), Json.MAPPER.writeValueAsBytes(metrics));
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

  private static byte[] png(DemoImage image, ManifestItem item, RenderSettings settings, String model, String adapter)
      throws IOException {
    RenderInfo info = new RenderInfo(item.prompt(), item.seed(), settings.steps(), settings.guidance(), model,
        adapter.isEmpty() ? null : adapter);
    return PngImages.encode(image.toBufferedImage(), info.toText());
  }

  /** One render's score; texture detail is null for scenes without textured objects. */
  static ObjectNode score(DemoScore score) {
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("fidelity", score.fidelity())
        .put("object_colour_error", score.objectColourError()).put("background_colour_error", score.backgroundColourError());
    if (Double.isNaN(score.textureDetail())) json.putNull("texture_detail");
    else json.put("texture_detail", score.textureDetail());
    return json.put("psnr", score.psnr());
  }
}
