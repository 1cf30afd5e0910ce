package dev.urae.batch.stages.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.infra.store.ObjectStore;
import dev.urae.model.tensors.SafeTensorsFile;
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
      String prompt;
      String generated;
      try (SafeTensorsFile file = SafeTensorsFile.open(text)) {
        prompt = file.metadata().getOrDefault("prompt", id);
        generated = file.metadata().getOrDefault("generated_prompt", prompt);
      }
      loaded.add(new Item(id, prompt, generated, latents, text));
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
      try (SafeTensorsFile file = SafeTensorsFile.open(latentsFile)) {
        return file.load("latents", manager);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read cached latents of " + id, e);
      }
    }

    @Override
    public Optional<TextEmbedding> textFeatures(boolean generated, NDManager manager) {
      String which = generated ? "caption" : "prompt";
      try (SafeTensorsFile file = SafeTensorsFile.open(textFile)) {
        return Optional.of(new TextEmbedding(file.load(which + "_sequence", manager), file.load(which + "_pooled", manager)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read cached text features of " + id, e);
      }
    }
  }
}
