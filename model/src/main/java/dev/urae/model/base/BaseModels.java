package dev.urae.model.base;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Chooses the base model implementation a run names, among the providers on the class path. */
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
   * The provider of {@code name}.
   *
   * @throws IllegalArgumentException naming the {@code model} option and the models there are
   */
  public static BaseModelProvider provider(String name) {
    for (BaseModelProvider provider : ServiceLoader.load(BaseModelProvider.class)) {
      if (provider.name().equals(name)) return provider;
    }
    String known = names().stream().map(n -> "'" + n + "'").collect(Collectors.joining(" or "));
    throw new IllegalArgumentException("pipeline option model must be " + known + " in this build, got '" + name
        + "' (FLUX.1-dev needs its weights and a GPU worker)");
  }

  public static BaseModel load(String name, NDManager manager, PrintStream progress) throws IOException {
    return provider(name).load(manager, progress);
  }
}
