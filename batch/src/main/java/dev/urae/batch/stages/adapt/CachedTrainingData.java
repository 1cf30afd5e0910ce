package dev.urae.batch.stages.adapt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.batch.run.RunLayout;
import dev.urae.batch.stages.CachedFeatures;
import dev.urae.batch.stages.ScratchFiles;
import dev.urae.infra.store.ObjectStore;
import dev.urae.model.codec.LatentCodec;
import dev.urae.model.codec.LatentPosterior;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.text.TextEmbedding;
import dev.urae.model.train.TrainingData;
import dev.urae.model.train.TrainingItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The training set as the cache stage left it: each item's VAE posterior and both captions'
 * text features. Every step trains on a fresh draw {@code mean + std·ε}, as URAE does; a
 * deterministic codec's posterior (std 0) is its mean and draws nothing.
 */
final class CachedTrainingData implements TrainingData {
  private final List<Item> items;

  /**
   * Fetches the items' cached files; refuses files of another cache format or encoded by another
   * codec than {@code codec}, naming the file and what to do.
   */
  CachedTrainingData(ObjectStore store, RunLayout layout, List<String> itemIds, LatentCodec codec, ScratchFiles scratch)
      throws IOException {
    List<Item> loaded = new ArrayList<>();
    for (String id : itemIds) {
      Cached latents = Cached.fetch(store, layout.cachedLatents(id), scratch);
      CachedFeatures.LatentsInfo info = CachedFeatures.latentsInfo(latents.file(), latents.uri());
      if (!info.codecId().equals(codec.id())) {
        throw new IOException(latents.uri() + " was encoded by codec '" + info.codecId() + "' but the base model's is '"
            + codec.id() + "': the cache belongs to other weights; launch again with --rerun, which starts a new run whose cache stage encodes afresh");
      }
      Cached prompt = Cached.fetch(store, layout.cachedText(id, false), scratch);
      Cached generated = Cached.fetch(store, layout.cachedText(id, true), scratch);
      loaded.add(new Item(id, CachedFeatures.prompt(prompt.file(), prompt.uri()), CachedFeatures.prompt(generated.file(), generated.uri()),
          latents, prompt, generated));
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

  /** A cached file in the scratch folder, and its store address for messages. */
  private record Cached(Path file, String uri) {
    static Cached fetch(ObjectStore store, String key, ScratchFiles scratch) throws IOException {
      return new Cached(scratch.fetch(store, key), store.uri(key).toString());
    }
  }

  private record Item(String id, String prompt, String generatedPrompt, Cached latentsFile, Cached promptFile,
      Cached generatedFile) implements TrainingItem {

    /** The posterior mean. */
    @Override
    public NDArray latents(NDManager manager) {
      return posterior(manager).mean();
    }

    @Override
    public NDArray sampleLatents(NDManager manager, SeededRandom random) {
      LatentPosterior posterior = posterior(manager);
      if (posterior.deterministic()) return posterior.mean();
      return posterior.sample(random.gaussian(manager, posterior.mean().getShape()));
    }

    @Override
    public Optional<TextEmbedding> textFeatures(boolean generated, NDManager manager) {
      Cached file = generated ? generatedFile : promptFile;
      try {
        return Optional.of(CachedFeatures.text(file.file(), file.uri(), manager));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read cached text features of " + id + ": " + e.getMessage(), e);
      }
    }

    private LatentPosterior posterior(NDManager manager) {
      try {
        return CachedFeatures.posterior(latentsFile.file(), latentsFile.uri(), manager);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the cached posterior of " + id + ": " + e.getMessage(), e);
      }
    }
  }
}
