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
 * Worker code of the render stage: each item of the task is rendered by the base model alone
 * ({@code render/base/<id>.png}) and with the trained adapter ({@code render/<id>.png}), with
 * prompt, seed, steps, guidance, model and adapter in PNG text chunks. For prompts of the demo
 * grammar, both renders are scored against the scene's known truth ({@code render/<id>.metrics.json}).
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
    RenderSettings settings = RenderSettings.from(params, model);
    try (NDManager manager = NDManager.newBaseManager();
        DemoBaseModel base = BaseModels.load(params, manager);
        ScratchFiles scratch = new ScratchFiles()) {
      PixelSampler renderer = new PixelSampler(base.transformer(), base.textEncoder(), settings.sampling(DemoWorld.TRAIN_SEQ_LEN));
      Map<String, DemoImage> baseRenders = new LinkedHashMap<>();
      Map<String, DemoImage> coarse = new LinkedHashMap<>();
      for (ManifestItem item : items) {
        DemoImage image = renderer.render(item.prompt(), item.width(), item.height(), item.seed());
        baseRenders.put(item.id(), image);
        context.put(out + "base/" + item.id() + ".png", png(image, item, settings, model, ""));
        if (settings.coarseToFine()) {
          int w = Math.max(16, item.width() * DemoWorld.LOW_RESOLUTION / DemoWorld.HIGH_RESOLUTION);
          int h = Math.max(16, item.height() * DemoWorld.LOW_RESOLUTION / DemoWorld.HIGH_RESOLUTION);
          coarse.put(item.id(), renderer.render(item.prompt(), w - w % 2, h - h % 2, item.seed()));
        }
      }
      DiffusersLora.attach(scratch.fetch(store, adapterKey), base.transformer().linears());
      for (ManifestItem item : items) {
        DemoImage adapted = settings.coarseToFine()
            ? renderer.refine(coarse.get(item.id()), settings.coarseSigma(), item.prompt(), item.width(), item.height(), item.seed())
            : renderer.render(item.prompt(), item.width(), item.height(), item.seed());
        context.put(out + item.id() + ".png", png(adapted, item, settings, model, adapterKey));
        Optional<SceneDescription> scene = PromptParser.parse(item.prompt());
        if (scene.isPresent()) {
          ObjectNode metrics = JsonNodeFactory.instance.objectNode();
          metrics.set("base", score(DemoMetric.score(scene.get(), baseRenders.get(item.id()))));
          metrics.set("adapted", score(DemoMetric.score(scene.get(), adapted)));
          context.put(out + item.id() + ".metrics.json", Json.MAPPER.writeValueAsBytes(metrics));
        }
      }
    }
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
