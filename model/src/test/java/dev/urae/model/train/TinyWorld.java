package dev.urae.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.adapter.Adapter;
import dev.urae.model.adapter.AdapterKind;
import dev.urae.model.adapter.AdapterSpec;
import dev.urae.model.codec.LatentPosterior;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.svd.DecompositionCache;
import dev.urae.model.svd.MinorComponentDecomposer;
import dev.urae.model.text.DemoTextEncoder;
import dev.urae.model.text.Vocabulary;
import java.util.List;

/** The tiny preset, a tiny text encoder and four items with 4x4 latents of 4 channels (fixed, or drawn around fixed means). */
final class TinyWorld implements AutoCloseable {
  final NDManager manager = NDManager.newBaseManager();
  final FluxTransformer model = FluxTransformer.random(FluxPresets.TINY, 11, manager);
  final DemoTextEncoder encoder = DemoTextEncoder.create(Vocabulary.of(List.of("red", "blue", "circle", "square", "detailed")), 6, 24, 20, 3, manager);

  Adapter lora() {
    return Adapter.initLora(model.linears(), AdapterSpec.urae(AdapterKind.LORA, 2), SeededRandom.seeded(8));
  }

  Adapter minor() {
    return Adapter.initMinor(model.linears(), AdapterSpec.urae(AdapterKind.MINOR, 2), new MinorComponentDecomposer(DecompositionCache.none()));
  }

  static TrainingData data() {
    return data(false);
  }

  /**
   * The four items; with {@code posterior}, each step trains on a draw mean + 0.3·ε around the fixed
   * latents, as items cached with a VAE posterior do.
   */
  static TrainingData data(boolean posterior) {
    String[] prompts = {"red circle", "blue square", "red square", "blue circle"};
    return new TrainingData() {
      @Override
      public int size() {
        return prompts.length;
      }

      @Override
      public TrainingItem item(int index) {
        return new TrainingItem() {
          @Override
          public String id() {
            return "item-" + index;
          }

          @Override
          public String prompt() {
            return prompts[index];
          }

          @Override
          public String generatedPrompt() {
            return "detailed " + prompts[index];
          }

          @Override
          public NDArray latents(NDManager manager) {
            return SeededRandom.seeded(100 + index).gaussian(manager, new Shape(4, 4, 4));
          }

          @Override
          public NDArray sampleLatents(NDManager manager, SeededRandom random) {
            if (!posterior) return latents(manager);
            NDArray mean = latents(manager);
            return new LatentPosterior(mean, manager.full(mean.getShape(), 0.3f)).sample(random.gaussian(manager, mean.getShape()));
          }
        };
      }
    };
  }

  @Override
  public void close() {
    manager.close();
  }
}
