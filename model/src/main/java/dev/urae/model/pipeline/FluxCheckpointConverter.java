package dev.urae.model.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointException;
import dev.urae.model.checkpoint.CheckpointLayout;
import dev.urae.model.checkpoint.CheckpointProblem;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.checkpoint.ShardedSafeTensorsWriter;
import dev.urae.model.checkpoint.TensorSet;
import dev.urae.model.component.ConfigJson;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxConfigJson;
import dev.urae.model.flux.FluxLayout;
import dev.urae.model.tensors.TensorSpec;
import dev.urae.model.vae.VaeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * BFL's single files to diffusers' layout: the transformer to {@code OUT/transformer/}, the
 * autoencoder ({@code ae.safetensors}) to {@code OUT/vae/}, each a config.json and the weights
 * under diffusers names, sharded as diffusers saves them. Bytes are copied from the
 * source file range by range ({@code transferTo}), in the stored dtype: q/k/v come out of the
 * fused tensors as they were stored, the final modulation with its halves swapped.
 */
public final class FluxCheckpointConverter {
  private FluxCheckpointConverter() {}

  /**
   * Converts {@code checkpoint}; refuses it unless its transformer matches its configuration
   * completely.
   *
   * @param preset fills configuration gaps (null: by head dim, see {@link FluxConfigJson#of})
   * @return the transformer's configuration as written
   */
  public static FluxConfig toDiffusers(Checkpoint checkpoint, FluxConfig preset, Path out, long maxShardBytes) throws IOException {
    if (checkpoint.layout() != CheckpointLayout.BFL_TRANSFORMER) {
      throw new CheckpointException(checkpoint.path(), List.of(CheckpointProblem.of(checkpoint.path(),
          "is a " + (checkpoint.layout() == null ? "checkpoint of unknown layout" : checkpoint.layout().description())
              + "; convert reads a BFL single-file transformer (flux1-dev.safetensors, flux1-schnell.safetensors) or autoencoder (ae.safetensors)")));
    }
    Component transformer = checkpoint.component("transformer");
    FluxConfig config = FluxConfigJson.of(transformer, preset);
    List<CheckpointProblem> problems = new ArrayList<>(checkpoint.problems());
    List<TensorSpec> layout = FluxLayout.of(config).tensors();
    problems.addAll(transformer.mismatches(layout));
    if (!problems.isEmpty()) throw new CheckpointException(checkpoint.path(), problems);
    TensorSet tensors = transformer.tensors();
    write(tensors, layout, out.resolve("transformer"), FluxConfigJson.write(config), maxShardBytes);
    return config;
  }

  /**
   * Converts BFL's autoencoder ({@code ae.safetensors}) to {@code OUT/vae/}; refuses it unless
   * its tensors match the configuration inferred from them completely. The config carries FLUX's
   * latent normalisation (scale 0.3611, shift 0.1159), which the file does not.
   */
  public static VaeConfig vaeToDiffusers(Checkpoint checkpoint, Path out, long maxShardBytes) throws IOException {
    if (checkpoint.layout() != CheckpointLayout.BFL_VAE) {
      throw new CheckpointException(checkpoint.path(), List.of(CheckpointProblem.of(checkpoint.path(),
          "is a " + (checkpoint.layout() == null ? "checkpoint of unknown layout" : checkpoint.layout().description())
              + "; this conversion reads a BFL single-file autoencoder (ae.safetensors)")));
    }
    Component vae = checkpoint.component("vae");
    List<CheckpointProblem> problems = new ArrayList<>(checkpoint.problems());
    VaeConfig config = VaeConfig.from(ConfigJson.of(vae));
    List<TensorSpec> layout = config.layout();
    problems.addAll(vae.mismatches(layout));
    if (!problems.isEmpty()) throw new CheckpointException(checkpoint.path(), problems);
    write(vae.tensors(), layout, out.resolve("vae"), config.toJson(), maxShardBytes);
    return config;
  }

  private static void write(TensorSet tensors, List<TensorSpec> layout, Path dir, ObjectNode config, long maxShardBytes) throws IOException {
    List<ShardedSafeTensorsWriter.Entry> entries = new ArrayList<>();
    for (TensorSpec spec : layout) entries.add(ShardedSafeTensorsWriter.Entry.copyOf(tensors.get(spec.name())));
    Files.createDirectories(dir);
    FluxCheckpointInit.JSON.writeValue(dir.resolve("config.json").toFile(), config);
    ShardedSafeTensorsWriter.write(dir, "diffusion_pytorch_model", entries, maxShardBytes);
  }
}
