package dev.urae.model.base;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Chooses the base model a run names, among the implementations on the class path: a
 * provider's name ({@code demo}) or the local folder of a checkpoint ({@link CheckpointFolders}).
 */
public final class BaseModels {
  private BaseModels() {}

  /** The names of the base models this build has, sorted. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    ServiceLoader.load(BaseModelProvider.class).forEach(p -> names.add(p.name()));
    names.sort(null);
    return names;
  }

  /**
   * The provider of {@code reference}: a provider's name, else a local checkpoint folder or file.
   *
   * @throws IllegalArgumentException naming the {@code model} option and what is wrong: no such
   *     name or path, a remote reference, or every problem of the checkpoint found there
   */
  public static BaseModelProvider provider(String reference) {
    for (BaseModelProvider provider : ServiceLoader.load(BaseModelProvider.class)) {
      if (provider.name().equals(reference)) return provider;
    }
    String known = names().stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    String expected = "give " + known + " or the folder of a FLUX.1 checkpoint (diffusers layout: model_index.json, transformer/, text_encoder/, "
        + "text_encoder_2/, tokenizer/, tokenizer_2/, vae/)";
    if (reference == null || reference.isBlank()) throw new IllegalArgumentException("pipeline option model is empty: " + expected);
    if (reference.matches("[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
      throw new IllegalArgumentException("pipeline option model '" + reference + "' is not a local path; weights in an object store are staged to a local folder by the worker first");
    }
    Path path;
    try {
      path = Path.of(reference);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("pipeline option model '" + reference + "' is neither a model name nor a path: " + expected);
    }
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("pipeline option model '" + reference + "': no model of that name and no such file or folder; " + expected);
    }
    List<String> refusals = new ArrayList<>();
    for (CheckpointFolders folders : ServiceLoader.load(CheckpointFolders.class)) {
      try {
        return folders.open(path);
      } catch (IOException e) {
        refusals.add(e.getMessage());
      }
    }
    if (refusals.isEmpty()) throw new IllegalArgumentException("pipeline option model '" + reference + "': this build reads no checkpoint folders");
    throw new IllegalArgumentException("pipeline option model '" + reference + "' cannot be used: " + String.join("\n", refusals));
  }

  /** Loads the model {@code reference} names into a sub-manager of {@code manager}. */
  public static BaseModel load(String reference, NDManager manager, PrintStream progress) throws IOException {
    return provider(reference).load(manager, progress);
  }
}
