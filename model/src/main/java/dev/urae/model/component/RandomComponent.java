package dev.urae.model.component;

import dev.urae.model.flow.SeededRandom;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsWriter;
import dev.urae.model.tensors.TensorSpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a complete model component with random weights in the transformers/diffusers layout:
 * {@code config.json} plus the weights, in one file or in shards with a
 * {@code *.safetensors.index.json} (as {@code save_pretrained(max_shard_size=…)} does). Every
 * tensor draws from its own generator seeded from the seed and its name, so the values do not
 * depend on the order or the sharding. Biases are zero, normalisation scales (rank-1 tensors
 * whose name contains {@code norm}) one, everything else N(0, 0.02²): outputs stay finite and
 * small through deep stacks, which is all a test or dry run needs.
 */
public final class RandomComponent {
  /** Standard deviation of random weights (transformers' {@code initializer_range}). */
  public static final float STD = 0.02f;

  private RandomComponent() {}

  /** Writes {@code config} into {@code dir} with weights in {@code dtype}, unsharded. */
  public static List<Path> write(ComponentConfig config, Path dir, long seed, DType dtype) throws IOException {
    return write(config, dir, seed, dtype, Long.MAX_VALUE);
  }

  /**
   * Writes {@code config} into {@code dir}, starting a new shard whenever the next tensor would
   * take the current one past {@code maxShardBytes} (a tensor larger than that gets a shard of
   * its own). Returns the files written, config first.
   */
  public static List<Path> write(ComponentConfig config, Path dir, long seed, DType dtype, long maxShardBytes) throws IOException {
    if (!dtype.isFloating()) throw new IllegalArgumentException("weights must be F32, F16 or BF16, got " + dtype);
    if (maxShardBytes <= 0) throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Path configFile = dir.resolve("config.json");
    Files.writeString(configFile, ConfigJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(config.toJson()) + "\n", StandardCharsets.UTF_8);
    written.add(configFile);

    List<List<TensorSpec>> shards = new ArrayList<>();
    long current = 0;
    long total = 0;
    for (TensorSpec t : config.layout()) {
      long bytes = t.size() * dtype.bytes();
      if (shards.isEmpty() || (current > 0 && current + bytes > maxShardBytes)) {
        shards.add(new ArrayList<>());
        current = 0;
      }
      shards.get(shards.size() - 1).add(t);
      current += bytes;
      total += bytes;
    }
    String file = config.weightsFileName();
    String stem = file.substring(0, file.length() - ".safetensors".length());
    ObjectNode index = ConfigJson.MAPPER.createObjectNode();
    index.putObject("metadata").put("total_size", total);
    ObjectNode weightMap = index.putObject("weight_map");
    for (int s = 0; s < shards.size(); s++) {
      String name = shards.size() == 1 ? file : String.format("%s-%05d-of-%05d.safetensors", stem, s + 1, shards.size());
      SafeTensorsWriter writer = new SafeTensorsWriter().metadata("format", "pt");
      for (TensorSpec t : shards.get(s)) {
        writer.addComputed(t.name(), t.shape(), dtype, () -> initialValues(t, seed));
        weightMap.put(t.name(), name);
      }
      Path out = dir.resolve(name);
      writer.write(out);
      written.add(out);
    }
    if (shards.size() > 1) {
      Path indexFile = dir.resolve(file + ".index.json");
      Files.writeString(indexFile, ConfigJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(index) + "\n", StandardCharsets.UTF_8);
      written.add(indexFile);
    }
    return written;
  }

  /** The random values of one tensor (see the class comment for the rule). */
  static float[] initialValues(TensorSpec t, long seed) {
    int n = Math.toIntExact(t.size());
    String leaf = t.name().substring(t.name().lastIndexOf('.') + 1);
    boolean rank1 = t.shape().dimension() == 1;
    if (rank1 && leaf.equals("bias")) return new float[n];
    if (rank1 && t.name().contains("norm")) {
      float[] ones = new float[n];
      java.util.Arrays.fill(ones, 1f);
      return ones;
    }
    SeededRandom random = SeededRandom.seeded(seed * 31 + t.name().hashCode());
    float[] v = random.gaussians(n);
    for (int i = 0; i < n; i++) v[i] *= STD;
    return v;
  }
}
