package dev.urae.model.pipeline;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.checkpoint.CheckpointException;
import dev.urae.model.checkpoint.CheckpointProblem;
import dev.urae.model.checkpoint.Component;
import dev.urae.model.checkpoint.RandomFill;
import dev.urae.model.checkpoint.ShardedSafeTensorsWriter;
import dev.urae.model.component.ComponentConfig;
import dev.urae.model.component.RandomComponent;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxConfigJson;
import dev.urae.model.flux.FluxLayout;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.TensorSpec;
import dev.urae.model.text.tokenizer.MinimalTokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete random-weight FLUX.1 checkpoint in the diffusers layout, for tests and dry runs:
 * {@code model_index.json}, {@code scheduler/}, {@code transformer/} (config.json and weights
 * sharded like diffusers saves them, PyTorch's default initialisation: linear weights and
 * biases uniform in ±1/sqrt(fan_in), norm scales one, generated straight into the files so
 * FLUX.1-dev's 23.8 GB need no heap), {@code text_encoder/}, {@code text_encoder_2/} and
 * {@code vae/} through {@link RandomComponent} (N(0, 0.02²), streamed the same way), and small
 * but real tokenizers in {@code tokenizer/} and {@code tokenizer_2/} ({@link MinimalTokenizers}:
 * every character a token; {@link #copyTokenizers} replaces them with a real checkpoint's). The VAE config's
 * {@code sample_size}, which {@link FluxBaseModelProvider} reads as the native resolution, is
 * 1024 for FLUX.1's widths and {@value #SMALL_NATIVE_RESOLUTION} for any smaller transformer,
 * so a tiny checkpoint renders and trains at CPU-sized images.
 */
public final class FluxCheckpointInit {
  /** diffusers' default {@code max_shard_size} ("10GB"): FLUX.1-dev's transformer comes out in 3 shards. */
  public static final long DEFAULT_MAX_SHARD_BYTES = 10_000_000_000L;

  /** The native resolution written for transformers smaller than FLUX.1: 32² latents at the tiny VAE's 2× downsampling. */
  public static final int SMALL_NATIVE_RESOLUTION = 64;

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What the weights hold. */
  public enum Weights {
    /** Random values, as described above: the checkpoint computes. */
    RANDOM,
    /** Zeros left as holes in sparse files: shape-only, written at once whatever the size (inspect, loading and memory dry runs). */
    ZEROS
  }

  private final Path out;
  private final Weights weights;
  private final long seed;
  private final DType dtype;
  private final long maxShardBytes;
  private final Map<String, String[]> components = new LinkedHashMap<>();

  /** A writer into {@code out} (created; existing files of the same names are replaced). */
  public FluxCheckpointInit(Path out, Weights weights, long seed, DType dtype, long maxShardBytes) {
    if (!dtype.isFloating()) throw new IllegalArgumentException("dtype must be F32, F16 or BF16, got " + dtype);
    if (maxShardBytes <= 0) throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
    this.out = out;
    this.weights = java.util.Objects.requireNonNull(weights, "weights == null");
    this.seed = seed;
    this.dtype = dtype;
    this.maxShardBytes = maxShardBytes;
  }

  /**
   * Writes every component: the transformer, the scheduler that goes with it, CLIP-L and T5
   * text encoders and the VAE sized to fit it (see {@link FluxComponents}), minimal tokenizers, then
   * {@code model_index.json}.
   *
   * @return the component names written
   */
  public List<String> write(FluxConfig transformer) throws IOException {
    Path dir = out.resolve("transformer");
    Files.createDirectories(dir);
    JSON.writeValue(dir.resolve("config.json").toFile(), FluxConfigJson.write(transformer));
    List<TensorSpec> layout = FluxLayout.of(transformer).tensors();
    ShardedSafeTensorsWriter.write(dir, "diffusion_pytorch_model", weights == Weights.RANDOM ? randomEntries(layout) : zeroEntries(layout), maxShardBytes);
    components.put("transformer", new String[] {"diffusers", "FluxTransformer2DModel"});
    Path scheduler = Files.createDirectories(out.resolve("scheduler"));
    JSON.writeValue(scheduler.resolve("scheduler_config.json").toFile(), FluxScheduler.config(JSON, transformer.guidanceEmbeds()));
    components.put("scheduler", new String[] {"diffusers", "FlowMatchEulerDiscreteScheduler"});
    writeComponent("text_encoder", "transformers", "CLIPTextModel", FluxComponents.clip(transformer));
    writeComponent("text_encoder_2", "transformers", "T5EncoderModel", FluxComponents.t5(transformer));
    writeComponent("vae", "diffusers", "AutoencoderKL", FluxComponents.vae(transformer));
    if (!FluxComponents.fluxSized(transformer)) {
      Path vaeConfig = out.resolve("vae").resolve("config.json");
      ObjectNode json = (ObjectNode) JSON.readTree(vaeConfig.toFile());
      JSON.writeValue(vaeConfig.toFile(), json.put("sample_size", SMALL_NATIVE_RESOLUTION));
    }
    MinimalTokenizers.writeClip(emptied(out.resolve("tokenizer")));
    components.put("tokenizer", new String[] {"transformers", "CLIPTokenizer"});
    MinimalTokenizers.writeT5(emptied(out.resolve("tokenizer_2")));
    components.put("tokenizer_2", new String[] {"transformers", "T5TokenizerFast"});
    writeIndex();
    return List.copyOf(components.keySet());
  }

  /**
   * Random entries for a layout in PyTorch's default initialisation: a 2-D {@code *.weight} and
   * its {@code *.bias} uniform in ±1/sqrt(in), a 1-D {@code *.weight} without a 2-D sibling (a
   * norm scale) ones; generated while written, so FLUX.1-dev's 23.8 GB need no heap.
   */
  private List<ShardedSafeTensorsWriter.Entry> randomEntries(List<TensorSpec> layout) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (TensorSpec t : layout) shapes.put(t.name(), t.shape());
    List<ShardedSafeTensorsWriter.Entry> entries = new ArrayList<>();
    for (TensorSpec t : layout) {
      String module = t.name().substring(0, Math.max(t.name().lastIndexOf('.'), 0));
      Shape weight = shapes.get(module + ".weight");
      ShardedSafeTensorsWriter.Bytes bytes;
      if (weight != null && weight.dimension() == 2) {
        float bound = (float) (1.0 / Math.sqrt(weight.get(1)));
        bytes = RandomFill.uniform(seed, t.name(), t.size(), bound, dtype);
      } else {
        bytes = RandomFill.constant(t.size(), 1f, dtype);
      }
      entries.add(new ShardedSafeTensorsWriter.Entry(t.name(), dtype, t.shape(), bytes));
    }
    return entries;
  }

  /**
   * Replaces {@code tokenizer/} and {@code tokenizer_2/} with a diffusers checkpoint's (real
   * vocabularies do not ship with this build) and records them in {@code model_index.json}.
   *
   * @throws CheckpointException when {@code source} lacks them or they are incomplete
   */
  public List<String> copyTokenizers(Path source) throws IOException {
    Checkpoint from = Checkpoint.read(source);
    List<CheckpointProblem> problems = new ArrayList<>(from.problems());
    for (String name : List.of("tokenizer", "tokenizer_2")) {
      if (!from.has(name)) problems.add(CheckpointProblem.of(source, "no component '" + name + "' to copy the tokenizer from"));
    }
    if (!problems.isEmpty()) throw new CheckpointException(source, problems);
    for (String name : List.of("tokenizer", "tokenizer_2")) {
      Component c = from.component(name);
      Path target = emptied(out.resolve(name));
      try (var files = Files.list(c.location())) {
        for (Path f : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(f)) Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      components.put(name, new String[] {"transformers", c.className().orElse(name.equals("tokenizer") ? "CLIPTokenizer" : "T5TokenizerFast")});
    }
    writeIndex();
    return List.copyOf(components.keySet());
  }

  /** {@code folder}, created, without the files a previous tokenizer left (a stale tokenizer.json would win over vocab.json). */
  private static Path emptied(Path folder) throws IOException {
    Files.createDirectories(folder);
    try (var files = Files.list(folder)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) Files.delete(f);
      }
    }
    return folder;
  }

  private void writeComponent(String name, String library, String className, ComponentConfig config) throws IOException {
    if (weights == Weights.RANDOM) {
      RandomComponent.write(config, out.resolve(name), seed, dtype, maxShardBytes);
    } else {
      RandomComponent.writeZeros(config, out.resolve(name), dtype, maxShardBytes);
    }
    components.put(name, new String[] {library, className});
  }

  private List<ShardedSafeTensorsWriter.Entry> zeroEntries(List<TensorSpec> layout) {
    List<ShardedSafeTensorsWriter.Entry> entries = new ArrayList<>();
    for (TensorSpec t : layout) entries.add(new ShardedSafeTensorsWriter.Entry(t.name(), dtype, t.shape(), RandomFill.zeros(t.size(), dtype)));
    return entries;
  }

  private void writeIndex() throws IOException {
    ObjectNode index = JSON.createObjectNode();
    index.put("_class_name", "FluxPipeline");
    index.put("_diffusers_version", "0.30.0");
    components.forEach((name, spec) -> index.putArray(name).add(spec[0]).add(spec[1]));
    Files.createDirectories(out);
    JSON.writeValue(out.resolve("model_index.json").toFile(), index);
  }
}
