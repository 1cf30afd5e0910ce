package dev.urae.model.component;

import dev.urae.model.checkpoint.RandomFill;
import dev.urae.model.checkpoint.ShardedSafeTensorsWriter;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.TensorSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a complete model component with random weights in the transformers/diffusers layout:
 * {@code config.json} plus the weights, in one file or in shards with a
 * {@code *.safetensors.index.json} (as {@code save_pretrained(max_shard_size=…)} does), through
 * {@link ShardedSafeTensorsWriter}: values are generated in chunks straight into the file
 * ({@link RandomFill}), so no tensor is ever held on the heap (T5-XXL's embedding alone is
 * 0.5 GB in float32). Every tensor draws from its own stream seeded from the seed and its
 * name, so the values do not depend on the order or the sharding. Biases are zero, normalisation scales (rank-1 tensors whose name
 * contains {@code norm}) one, everything else N(0, 0.02²): outputs stay finite and small
 * through deep stacks, which is all a test or dry run needs.
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
   * its own). Returns the files written: config, shards, then the index when there is one.
   */
  public static List<Path> write(ComponentConfig config, Path dir, long seed, DType dtype, long maxShardBytes) throws IOException {
    return write(config, dir, dtype, maxShardBytes, t -> initialValues(t, seed, dtype));
  }

  /**
   * As {@link #write(ComponentConfig, Path, long, DType, long)} with every weight zero, left as
   * holes in sparse files: a shape-only component of any size, written at once.
   */
  public static List<Path> writeZeros(ComponentConfig config, Path dir, DType dtype, long maxShardBytes) throws IOException {
    return write(config, dir, dtype, maxShardBytes, t -> RandomFill.zeros(t.size(), dtype));
  }

  private static List<Path> write(ComponentConfig config, Path dir, DType dtype, long maxShardBytes,
      Function<TensorSpec, ShardedSafeTensorsWriter.Bytes> values) throws IOException {
    if (!dtype.isFloating()) throw new IllegalArgumentException("weights must be F32, F16 or BF16, got " + dtype);
    if (maxShardBytes <= 0) throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Path configFile = dir.resolve("config.json");
    Files.writeString(configFile, ConfigJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(config.toJson()) + "\n", StandardCharsets.UTF_8);
    written.add(configFile);
    List<ShardedSafeTensorsWriter.Entry> entries = new ArrayList<>();
    for (TensorSpec t : config.layout()) entries.add(new ShardedSafeTensorsWriter.Entry(t.name(), dtype, t.shape(), values.apply(t)));
    String file = config.weightsFileName();
    written.addAll(ShardedSafeTensorsWriter.write(dir, file.substring(0, file.length() - ".safetensors".length()), entries, maxShardBytes));
    return written;
  }

  /** The random values of one tensor (see the class comment for the rule). */
  private static ShardedSafeTensorsWriter.Bytes initialValues(TensorSpec t, long seed, DType dtype) {
    String leaf = t.name().substring(t.name().lastIndexOf('.') + 1);
    boolean rank1 = t.shape().dimension() == 1;
    if (rank1 && leaf.equals("bias")) return RandomFill.constant(t.size(), 0f, dtype);
    if (rank1 && t.name().contains("norm")) return RandomFill.constant(t.size(), 1f, dtype);
    return RandomFill.gaussian(seed, t.name(), t.size(), STD, dtype);
  }
}
