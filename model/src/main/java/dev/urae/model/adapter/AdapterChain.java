package dev.urae.model.adapter;

import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.svd.MinorComponentDecomposer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * URAE's 2K → 4K chain: a 2K LoRA is fused into the base weights, minor components are taken of
 * the <em>fused</em> weights and trained, and the result is exported as one LoRA that applies to
 * the <em>original</em> base: A = [−a₀; a_t; A_2k], B = [b₀, b_t, B_2k]. The fused LoRA's
 * arrays are kept (it is merged, so it no longer acts as an adapter) because the export needs
 * them; {@link #close()} frees both.
 */
public final class AdapterChain implements AutoCloseable {
  private final Adapter fused;
  private final Adapter trained;

  private AdapterChain(Adapter fused, Adapter trained) {
    this.fused = fused;
    this.trained = trained;
  }

  /**
   * Fuses the diffusers LoRA {@code priorLora} into {@code linears} and sets up minor components
   * of the fused weights on the spec's targets. The LoRA must adapt exactly the layers the minor
   * components do (URAE: the same 190 targets in both stages), so that the export has one rank.
   */
  public static AdapterChain fuseThenDecompose(Path priorLora, Map<String, AdaptableLinear> linears, AdapterSpec spec,
      MinorComponentDecomposer decomposer) throws IOException {
    Objects.requireNonNull(priorLora, "priorLora == null");
    if (spec.kind() != AdapterKind.MINOR) {
      throw new IllegalArgumentException("the 2K -> 4K chain trains minor components, not " + spec.kind().label());
    }
    Adapter fused = DiffusersLora.attach(priorLora, linears);
    Set<String> targets = Set.copyOf(spec.targets().select(linears.keySet()));
    if (!targets.equals(fused.adapters().keySet())) {
      String differing = targets.stream().filter(m -> !fused.adapters().containsKey(m)).findFirst()
          .map(m -> "it has no LoRA for " + m)
          .orElseGet(() -> "it adapts " + fused.adapters().keySet().stream().filter(m -> !targets.contains(m)).findFirst().orElseThrow()
              + ", which is not a target");
      fused.close();
      throw new IllegalArgumentException(priorLora + ": the LoRA to chain onto must adapt exactly the " + targets.size()
          + " target layers of the minor components (" + spec.targets() + "), but " + differing);
    }
    fused.merge();
    try {
      return new AdapterChain(fused, Adapter.initMinor(linears, spec, decomposer));
    } catch (RuntimeException e) {
      fused.unmerge();
      fused.close();
      throw e;
    }
  }

  /** The minor components being trained (on the fused weights). */
  public Adapter trained() {
    return trained;
  }

  /** The LoRA fused into the base weights (merged: it no longer acts as an adapter). */
  public Adapter fused() {
    return fused;
  }

  /** Writes the chain as one diffusers LoRA on the original base weights. */
  public void export(Path file) throws IOException {
    DiffusersLora.export(trained, fused, file);
  }

  @Override
  public void close() {
    trained.close();
    fused.close();
  }
}
