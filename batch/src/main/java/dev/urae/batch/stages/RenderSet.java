package dev.urae.batch.stages;

import dev.urae.batch.ingest.Ingest;
import dev.urae.batch.ingest.IngestSummary;
import dev.urae.batch.job.RunContext;
import dev.urae.batch.manifest.ManifestItem;
import dev.urae.batch.run.RunLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompts the render stage draws and the shards holding them: the render manifest's items
 * when one was given, else the held-out items of the manifest. The report shows the same set.
 */
public record RenderSet(List<String> shardKeys, List<String> ids) {

  public RenderSet {
    shardKeys = List.copyOf(shardKeys);
    ids = List.copyOf(ids);
  }

  public static RenderSet of(RunContext run) throws IOException {
    IngestSummary renderOnly = Ingest.readSummary(run.store(), run.layout(), RunLayout.RENDER_SET);
    if (renderOnly != null) {
      List<String> keys = renderOnly.shards().stream().map(run.layout()::shardKey).toList();
      List<String> ids = new ArrayList<>();
      for (String key : keys) ItemSplit.read(run.store(), key).forEach(item -> ids.add(item.id()));
      return new RenderSet(keys, ids);
    }
    List<String> keys = run.shards().stream().map(run.layout()::shardKey).toList();
    int count = Integer.parseInt(run.config().get(PipelineOptions.RENDER_COUNT, PipelineOptions.DEFAULTS.get(PipelineOptions.RENDER_COUNT).defaultValue()));
    return new RenderSet(keys, ItemSplit.rendered(run.store(), keys, count).stream().map(ManifestItem::id).toList());
  }
}
