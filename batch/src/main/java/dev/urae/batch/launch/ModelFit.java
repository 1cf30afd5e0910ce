package dev.urae.batch.launch;

import dev.urae.batch.manifest.ItemDefaults;
import dev.urae.batch.manifest.LineVerdict;
import dev.urae.batch.manifest.ManifestScanner;
import dev.urae.batch.manifest.ManifestSnapshot;
import dev.urae.batch.stages.PipelineOptions;
import dev.urae.model.base.BaseModelProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a run asks of its base model that the model cannot do, found at launch before any task
 * runs, all at once: a guidance option for a transformer without a guidance embedder
 * (FLUX.1-schnell-like), and image sizes off the model's pixel grid (the run's default size and
 * every manifest item's). The manifest parser already holds every side to a multiple of {@link
 * ItemDefaults#SIDE_MULTIPLE}, so the items are scanned only for a model whose grid that does not
 * cover.
 */
final class ModelFit {
  /** Problems listed before the rest is summarised. */
  static final int MAX_LISTED = 20;
  private static final Map<String, String> GUIDANCE_OPTIONS = Map.of(
      PipelineOptions.ADAPT_GUIDANCE, "--train-guidance", PipelineOptions.RENDER_GUIDANCE, "--render-guidance");

  private ModelFit() {}

  /**
   * @param model the run's model reference and its provider
   * @param userOptions the pipeline options the user set (not the defaults)
   * @param manifests the run's manifests (main, then the render manifest when there is one)
   * @throws IllegalArgumentException naming every option, size and manifest line the model cannot take
   */
  static void check(String model, BaseModelProvider provider, Map<String, String> userOptions, ItemDefaults defaults,
      List<ManifestSnapshot> manifests) throws IOException {
    List<String> problems = new ArrayList<>();
    if (!provider.guidanceInput()) {
      GUIDANCE_OPTIONS.forEach((option, flag) -> {
        String value = userOptions.get(option);
        if (value != null && !value.equals("auto")) {
          problems.add("pipeline option " + option + " (" + flag + ") is " + value + ", but the transformer has no guidance embedder"
              + " (schnell-like: guidance is not an input); remove the option");
        }
      });
    }
    int grid = provider.pixelGrid();
    String why = " is not a multiple of " + grid + " px, the model's pixel grid (VAE downsampling x 2x2 packing)";
    if (defaults.width() % grid != 0 || defaults.height() % grid != 0) {
      problems.add("default size " + defaults.width() + "x" + defaults.height() + " (urae.width, urae.height)" + why);
    }
    if (ItemDefaults.SIDE_MULTIPLE % grid != 0) {
      for (ManifestSnapshot manifest : manifests) offGrid(manifest, defaults, grid, why, problems);
    }
    if (problems.isEmpty()) return;
    StringBuilder message = new StringBuilder("base model " + model + " cannot take this run (" + problems.size()
        + (problems.size() == 1 ? " problem" : " problems") + "):");
    problems.stream().limit(MAX_LISTED).forEach(p -> message.append("\n  - ").append(p));
    if (problems.size() > MAX_LISTED) message.append("\n  - and ").append(problems.size() - MAX_LISTED).append(" more");
    throw new IllegalArgumentException(message.toString());
  }

  private static void offGrid(ManifestSnapshot manifest, ItemDefaults defaults, int grid, String why, List<String> problems) throws IOException {
    String name = manifest.source().name();
    try (InputStream in = Files.newInputStream(manifest.file())) {
      new ManifestScanner(manifest.source().format(), defaults).scan(in, verdict -> {
        if (verdict instanceof LineVerdict.Accepted a && (a.item().width() % grid != 0 || a.item().height() % grid != 0)) {
          problems.add(name + ":" + a.line() + " (id " + a.item().id() + "): " + a.item().width() + "x" + a.item().height() + why);
        }
      });
    }
  }
}
