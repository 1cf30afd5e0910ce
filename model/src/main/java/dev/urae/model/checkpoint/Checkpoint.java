package dev.urae.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A model checkpoint on disk, read from headers and configs only (reading a FLUX.1-dev folder
 * takes milliseconds): its {@link CheckpointLayout}, its components by name and every problem
 * found. Layouts:
 *
 * <ul>
 *   <li>a diffusers pipeline folder: {@code model_index.json} names the components, each a
 *       sub-folder with a config and weights ({@code transformer/}, {@code text_encoder/},
 *       {@code text_encoder_2/}, {@code vae/}), tokenizer files ({@code tokenizer/},
 *       {@code tokenizer_2/}) or a scheduler config;
 *   <li>BFL files in a folder without {@code model_index.json}: the transformer file
 *       ({@code flux1-dev.safetensors}), the autoencoder ({@code ae.safetensors}, or a diffusers
 *       {@code vae/}) and the diffusers folders {@code text_encoder/}, {@code text_encoder_2/},
 *       {@code tokenizer/}, {@code tokenizer_2/} that BFL's repositories ship beside them;
 *   <li>one component: a folder with {@code config.json} and weights, or a lone safetensors
 *       file in diffusers names (component {@code transformer});
 *   <li>a BFL single file ({@code flux1-dev.safetensors}): component {@code transformer} in
 *       diffusers names, configuration inferred from tensor shapes;
 *   <li>BFL's single autoencoder file ({@code ae.safetensors}): component {@code vae} in
 *       diffusers' {@code AutoencoderKL} names, configuration inferred from tensor shapes.
 * </ul>
 *
 * <p>Weights may be sharded ({@code *.safetensors.index.json}). Use {@link #open(Path)} to get a
 * checkpoint that is known to be sound, or {@link #read(Path)} to inspect one with its problems.
 */
public final class Checkpoint {
  private final Path path;
  private final CheckpointLayout layout;
  private final Map<String, Component> components;
  private final List<CheckpointProblem> problems;

  private Checkpoint(Path path, CheckpointLayout layout, Map<String, Component> components, List<CheckpointProblem> problems) {
    this.path = path;
    this.layout = layout;
    this.components = Collections.unmodifiableMap(components);
    this.problems = List.copyOf(problems);
  }

  /**
   * Reads {@code path} and refuses it unless it is sound.
   *
   * @throws CheckpointException listing every problem: unknown layout, missing or truncated
   *     shards, an index naming absent files or tensors, missing tokenizer files, bad JSON
   */
  public static Checkpoint open(Path path) throws CheckpointException {
    Checkpoint c = read(path);
    if (!c.problems.isEmpty()) throw new CheckpointException(path, c.problems);
    return c;
  }

  /** Reads {@code path}, collecting problems instead of failing (for {@code urae model inspect}). */
  public static Checkpoint read(Path path) {
    List<CheckpointProblem> problems = new ArrayList<>();
    Map<String, Component> components = new LinkedHashMap<>();
    CheckpointLayout layout = null;
    if (Files.isDirectory(path) && Files.isRegularFile(path.resolve("model_index.json"))) {
      layout = CheckpointLayout.DIFFUSERS;
      pipeline(path, components, problems);
    } else if (Files.isDirectory(path) && bflTransformerFile(path) != null) {
      layout = CheckpointLayout.BFL_FOLDER;
      bflFolder(path, bflTransformerFile(path), components, problems);
    } else if (Files.isDirectory(path) && looksLikeComponent(path)) {
      layout = CheckpointLayout.DIFFUSERS_COMPONENT;
      Component c = ComponentReader.read(path.getFileName().toString(), path, null, problems);
      components.put(c.name(), c);
    } else if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".safetensors")) {
      TensorSet tensors = new TensorSet(ComponentReader.headers(path, problems));
      if (BflFluxMapping.recognises(tensors)) {
        layout = CheckpointLayout.BFL_TRANSFORMER;
        TensorSet mapped = BflFluxMapping.toDiffusers(path, tensors, problems);
        components.put("transformer", new Component("transformer", path, "FluxTransformer2DModel", BflFluxMapping.inferConfig(tensors), mapped));
      } else if (BflVaeMapping.recognises(tensors)) {
        layout = CheckpointLayout.BFL_VAE;
        TensorSet mapped = BflVaeMapping.toDiffusers(path, tensors, problems);
        components.put("vae", new Component("vae", path, "AutoencoderKL", BflVaeMapping.inferConfig(tensors), mapped));
      } else if (tensors.contains("x_embedder.weight")) {
        layout = CheckpointLayout.DIFFUSERS_COMPONENT;
        components.put("transformer", new Component("transformer", path, "FluxTransformer2DModel", ComponentReader.JSON.createObjectNode(), tensors));
      } else if (problems.isEmpty()) {
        problems.add(CheckpointProblem.of(path, "unknown layout: neither a BFL FLUX transformer (img_in, double_blocks.*), a BFL autoencoder (encoder.down.*, decoder.up.*) nor a diffusers transformer (x_embedder, transformer_blocks.*); first tensors: "
            + first(tensors, 5)));
      }
    } else if (!Files.exists(path)) {
      problems.add(CheckpointProblem.of(path, "does not exist"));
    } else {
      problems.add(CheckpointProblem.of(path, "unknown layout: expected a diffusers folder (model_index.json), a component folder (config.json with *.safetensors), or a .safetensors file"));
    }
    return new Checkpoint(path, layout, components, problems);
  }

  private static void pipeline(Path root, Map<String, Component> components, List<CheckpointProblem> problems) {
    Path indexFile = root.resolve("model_index.json");
    JsonNode index = ComponentReader.json(indexFile, problems);
    if (index == null) return;
    for (Iterator<Map.Entry<String, JsonNode>> it = index.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode spec = e.getValue();
      // "_class_name", "_diffusers_version"; [null, null] marks an optional component that is absent.
      if (name.startsWith("_") || !spec.isArray() || spec.size() != 2 || spec.get(1).isNull()) continue;
      Path dir = root.resolve(name);
      if (!Files.isDirectory(dir)) {
        problems.add(CheckpointProblem.of(dir, "missing: model_index.json names component '" + name + "' (" + spec.get(1).asText() + ")"));
        continue;
      }
      Component c = ComponentReader.read(name, dir, spec.get(1).asText(), problems);
      TokenizerFiles.check(c, problems);
      components.put(name, c);
    }
  }

  /** The one safetensors file directly in {@code dir} that holds a BFL transformer, or null. */
  private static Path bflTransformerFile(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(f))
          .filter(f -> BflFluxMapping.recognises(new TensorSet(ComponentReader.headers(f, new ArrayList<>())))).toList();
      return found.size() == 1 ? found.get(0) : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static void bflFolder(Path root, Path transformerFile, Map<String, Component> components, List<CheckpointProblem> problems) {
    TensorSet tensors = new TensorSet(ComponentReader.headers(transformerFile, problems));
    components.put("transformer", new Component("transformer", transformerFile, "FluxTransformer2DModel", BflFluxMapping.inferConfig(tensors),
        BflFluxMapping.toDiffusers(transformerFile, tensors, problems)));
    Path ae = root.resolve("ae.safetensors");
    if (Files.isRegularFile(ae)) {
      TensorSet vae = new TensorSet(ComponentReader.headers(ae, problems));
      if (BflVaeMapping.recognises(vae)) {
        components.put("vae", new Component("vae", ae, "AutoencoderKL", BflVaeMapping.inferConfig(vae), BflVaeMapping.toDiffusers(ae, vae, problems)));
      } else {
        problems.add(CheckpointProblem.of(ae, "not a BFL autoencoder (encoder.down.*, decoder.up.*); first tensors: " + first(vae, 5)));
      }
    }
    for (String name : List.of("text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "vae")) {
      Path dir = root.resolve(name);
      if (components.containsKey(name) || !Files.isDirectory(dir)) continue;
      Component c = ComponentReader.read(name, dir, null, problems);
      TokenizerFiles.check(c, problems);
      components.put(name, c);
    }
  }

  private static boolean looksLikeComponent(Path dir) {
    if (Files.isRegularFile(dir.resolve("config.json"))) return true;
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".safetensors") || p.getFileName().toString().endsWith(".safetensors.index.json"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static List<String> first(TensorSet tensors, int n) {
    List<String> out = new ArrayList<>();
    for (String name : tensors.names()) {
      if (out.size() == n) break;
      out.add(name);
    }
    return out;
  }

  /** The file or folder given. */
  public Path path() {
    return path;
  }

  /** The layout found, or null when it is unknown (then {@link #problems()} says why). */
  public CheckpointLayout layout() {
    return layout;
  }

  /** Components by name, in the order the checkpoint lists them. */
  public Map<String, Component> components() {
    return components;
  }

  /** Whether the checkpoint has a component called {@code name}. */
  public boolean has(String name) {
    return components.containsKey(name);
  }

  /**
   * The component called {@code name}.
   *
   * @throws CheckpointException naming the components that are there
   */
  public Component component(String name) throws CheckpointException {
    Component c = components.get(name);
    if (c == null) {
      throw new CheckpointException(path, List.of(CheckpointProblem.of(path, "no component '" + name + "' (has: " + String.join(", ", components.keySet()) + ")")));
    }
    return c;
  }

  /** Every problem found while reading; empty for a sound checkpoint. */
  public List<CheckpointProblem> problems() {
    return problems;
  }
}
