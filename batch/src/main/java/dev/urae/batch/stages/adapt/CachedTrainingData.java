package dev.urae.batch.stages.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.stages.CachedFeatures;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.infra.store.ObjectStore;
import dev.urae.model.text.TextEmbedding;
import dev.urae.model.train.TrainingData;
import dev.urae.model.train.TrainingItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The training set as the cache stage left it: latents and both captions' text features. */
final class CachedTrainingData implements TrainingData {
  private final List<Item> items;

  CachedTrainingData(ObjectStore store, RunLayout layout, List<String> itemIds, ScratchFiles scratch) throws IOException {
    java.util.ArrayList<Item> loaded = new java.util.ArrayList<>();
    for (String id : itemIds) {
      Path latents = scratch.fetch(store, layout.cachedLatents(id));
      Path text = scratch.fetch(store, layout.cachedText(id));
      CachedFeatures.Captions captions = CachedFeatures.captions(text, id);
      loaded.add(new Item(id, captions.prompt(), captions.generatedPrompt(), latents, text));
    }
    this.items = List.copyOf(loaded);
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public TrainingItem item(int index) {
    return items.get(index);
  }

  private record Item(String id, String prompt, String generatedPrompt, Path latentsFile, Path textFile)
      implements TrainingItem {
    @Override
    public NDArray latents(NDManager manager) {
      try {
        return CachedFeatures.latents(latentsFile, manager);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read cached latents of " + id, e);
      }
    }

    @Override
    public Optional<TextEmbedding> textFeatures(boolean generated, NDManager manager) {
      try {
        return Optional.of(CachedFeatures.text(textFile, generated, manager));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read cached text features of " + id, e);
      }
    }
  }
}
