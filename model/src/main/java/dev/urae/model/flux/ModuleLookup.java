package dev.urae.model.flux;

import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.RmsNorm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The modules under one block's prefix, taken by the block under its own child names (DJL
 * style: the block owns its children's names, the model owns the prefix). It remembers what was
 * taken so that a block and its layout cannot disagree: a name the layout lacks and a module
 * the block leaves idle are both refused when the model is built.
 */
final class ModuleLookup {
  private final String prefix;
  private final Map<String, AdaptableLinear> linears;
  private final Map<String, RmsNorm> norms;
  private final Set<String> taken = new HashSet<>();

  ModuleLookup(String prefix, Map<String, AdaptableLinear> linears, Map<String, RmsNorm> norms) {
    this.prefix = prefix;
    this.linears = linears;
    this.norms = norms;
  }

  /** The linear layer {@code prefix + child}. */
  AdaptableLinear linear(String child) {
    return take(linears, child);
  }

  /** The RMSNorm {@code prefix + child}. */
  RmsNorm rmsNorm(String child) {
    return take(norms, child);
  }

  private <T> T take(Map<String, T> modules, String child) {
    String name = prefix + child;
    T module = modules.get(name);
    if (module == null) throw new IllegalStateException("the block asks for " + name + ", which the layout does not list");
    taken.add(name);
    return module;
  }

  /** Refuses modules under the prefix that no block took (weights that would load and never run). */
  void requireAllTaken() {
    List<String> idle = new ArrayList<>();
    for (String name : linears.keySet()) if (name.startsWith(prefix) && !taken.contains(name)) idle.add(name);
    for (String name : norms.keySet()) if (name.startsWith(prefix) && !taken.contains(name)) idle.add(name);
    if (!idle.isEmpty()) throw new IllegalStateException("the layout lists modules no block uses: " + idle);
  }
}
