package dev.urae.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.LinearAdapter;
import dev.urae.model.svd.MinorComponentDecomposer;
import dev.urae.model.svd.SingularTriplets;
import dev.urae.model.svd.TorchSvd;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The adapters of one model: one {@link LoraAdapter} or {@link MinorComponentAdapter} per
 * target layer, attached to the model's {@link AdaptableLinear}s. Its arrays live in a manager
 * of its own, freed by {@link #close()}.
 */
public final class Adapter implements AutoCloseable {
  private final AdapterSpec spec;
  private final NDManager manager;
  private final Map<String, AdaptableLinear> layers;
  private final Map<String, LinearAdapter> adapters;
  private boolean merged;

  Adapter(AdapterSpec spec, NDManager manager, Map<String, AdaptableLinear> layers, Map<String, LinearAdapter> adapters) {
    this.spec = spec;
    this.manager = manager;
    this.layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    this.adapters = Collections.unmodifiableMap(new LinkedHashMap<>(adapters));
    adapters.forEach((module, adapter) -> layers.get(module).attach(adapter));
  }

  /**
   * Attaches fresh LoRA adapters to the spec's targets among {@code linears}: A drawn from
   * N(0, (1/r)²) (peft's "gaussian" initialisation, which URAE uses: standard deviation 1/r),
   * B = 0, so the adapted model's output equals the base model's exactly.
   */
  public static Adapter initLora(Map<String, AdaptableLinear> linears, AdapterSpec spec, SeededRandom random) {
    requireKind(spec, AdapterKind.LORA);
    Map<String, AdaptableLinear> targets = targets(linears, spec);
    NDManager manager = managerFor(targets);
    Map<String, LinearAdapter> adapters = new LinkedHashMap<>();
    int r = spec.rank();
    for (Map.Entry<String, AdaptableLinear> e : targets.entrySet()) {
      AdaptableLinear layer = e.getValue();
      float[] a = random.gaussians(r * layer.inFeatures());
      for (int i = 0; i < a.length; i++) a[i] /= r;
      adapters.put(e.getKey(), new LoraAdapter(
          manager.create(a, new Shape(r, layer.inFeatures())),
          manager.zeros(new Shape(layer.outFeatures(), r)),
          spec.scale()));
    }
    return new Adapter(spec, manager, targets, adapters);
  }

  /**
   * Attaches minor-component adapters: for each target weight W, the r smallest singular
   * triplets give b₀ = U_r·sqrt(S_r) and a₀ = sqrt(S_r)·V_rᵀ, and the frozen weight becomes
   * W − b₀·a₀ (in W's dtype), so the output at initialisation equals the base model's to float
   * precision. One layer at a time, on the weights' device: a layer is decomposed (or found in
   * the decomposer's cache), its weight replaced, and nothing of it but a₀, b₀ and the trainable
   * copies stays (not the b₀·a₀ product, not the weight on the Java heap).
   */
  public static Adapter initMinor(Map<String, AdaptableLinear> linears, AdapterSpec spec, MinorComponentDecomposer decomposer) {
    requireKind(spec, AdapterKind.MINOR);
    Map<String, AdaptableLinear> targets = targets(linears, spec);
    NDManager manager = managerFor(targets);
    Map<String, LinearAdapter> adapters = new LinkedHashMap<>();
    for (Map.Entry<String, AdaptableLinear> e : targets.entrySet()) {
      AdaptableLinear layer = e.getValue();
      NDArray[] pair = minorPair(manager, decomposer.smallest(e.getKey(), layer.weight(), spec.rank()));
      NDArray b0 = pair[0];
      NDArray a0 = pair[1];
      layer.setWeight(TorchSvd.minorResidual(layer.weight(), b0, a0));
      adapters.put(e.getKey(), new MinorComponentAdapter(a0.duplicate(), b0.duplicate(), a0, b0));
    }
    return new Adapter(spec, manager, targets, adapters);
  }

  /** b₀ = U_r·diag(sqrt(S_r)) [out, r] and a₀ = diag(sqrt(S_r))·V_rᵀ [r, in]. */
  static NDArray[] minorPair(NDManager manager, SingularTriplets t) {
    int r = t.rank();
    float[] u = t.u();
    float[] s = t.s();
    float[] vt = t.vt();
    float[] root = new float[r];
    for (int p = 0; p < r; p++) root[p] = (float) Math.sqrt(Math.max(0f, s[p]));
    for (int i = 0; i < t.rows(); i++) for (int p = 0; p < r; p++) u[i * r + p] *= root[p];
    for (int p = 0; p < r; p++) for (int j = 0; j < t.cols(); j++) vt[p * t.cols() + j] *= root[p];
    return new NDArray[] {manager.create(u, new Shape(t.rows(), r)), manager.create(vt, new Shape(r, t.cols()))};
  }

  private static Map<String, AdaptableLinear> targets(Map<String, AdaptableLinear> linears, AdapterSpec spec) {
    Objects.requireNonNull(linears, "linears == null");
    Map<String, AdaptableLinear> targets = new LinkedHashMap<>();
    for (String module : spec.targets().select(linears.keySet())) {
      AdaptableLinear layer = linears.get(module);
      if (layer.adapter() != null) throw new IllegalStateException(module + " already has an adapter; merge or close it first");
      if (spec.rank() > Math.min(layer.inFeatures(), layer.outFeatures())) {
        throw new IllegalArgumentException("rank " + spec.rank() + " exceeds the size of " + module + " ("
            + layer.outFeatures() + "x" + layer.inFeatures() + ")");
      }
      targets.put(module, layer);
    }
    if (targets.isEmpty()) throw new IllegalArgumentException("no layer matches the targets " + spec.targets());
    return targets;
  }

  static NDManager managerFor(Map<String, AdaptableLinear> targets) {
    return targets.values().iterator().next().weight().getManager().newSubManager();
  }

  private static void requireKind(AdapterSpec spec, AdapterKind kind) {
    if (spec.kind() != kind) throw new IllegalArgumentException("spec is for " + spec.kind().label() + ", not " + kind.label());
  }

  public AdapterSpec spec() {
    return spec;
  }

  public AdapterKind kind() {
    return spec.kind();
  }

  /** The adapted layers by module name, in model order. */
  public Map<String, AdaptableLinear> layers() {
    return layers;
  }

  /** The per-layer adapters by module name. */
  public Map<String, LinearAdapter> adapters() {
    return adapters;
  }

  /** Number of adapted layers. */
  public int size() {
    return adapters.size();
  }

  /**
   * The trainable arrays by stable name: {@code <module>.lora_A}, {@code <module>.lora_B} for
   * LoRA, {@code <module>.minor_a}, {@code <module>.minor_b} for minor components.
   */
  public Map<String, NDArray> parameters() {
    Map<String, NDArray> params = new LinkedHashMap<>();
    adapters.forEach((module, adapter) -> {
      if (adapter instanceof LoraAdapter lora) {
        params.put(module + ".lora_A", lora.a());
        params.put(module + ".lora_B", lora.b());
      } else if (adapter instanceof MinorComponentAdapter minor) {
        params.put(module + ".minor_a", minor.a());
        params.put(module + ".minor_b", minor.b());
      }
    });
    return params;
  }

  /** Number of trainable scalars. */
  public long parameterCount() {
    long n = 0;
    for (NDArray p : parameters().values()) n += p.size();
    return n;
  }

  /** The weight update the adapter applies to {@code module}: scale·B·A or b·a, [out, in]. */
  public NDArray weightDelta(String module) {
    LinearAdapter adapter = adapters.get(module);
    if (adapter instanceof LoraAdapter lora) return lora.b().matMul(lora.a()).muli(lora.scale());
    if (adapter instanceof MinorComponentAdapter minor) return minor.b().matMul(minor.a());
    throw new IllegalArgumentException("no adapter on " + module);
  }

  /** Folds every adapter into its layer's weight and detaches it: W ← W + ΔW. */
  public void merge() {
    if (merged) throw new IllegalStateException("adapter is already merged");
    for (String module : adapters.keySet()) {
      AdaptableLinear layer = layers.get(module);
      try (NDManager scope = manager.newSubManager()) {
        NDArray delta = weightDelta(module);
        delta.attach(scope);
        layer.setWeight(layer.weight().add(delta));
      }
      layer.detach();
    }
    merged = true;
  }

  /** Takes the adapters back out of the weights and re-attaches them: W ← W − ΔW. */
  public void unmerge() {
    if (!merged) throw new IllegalStateException("adapter is not merged");
    for (Map.Entry<String, LinearAdapter> e : adapters.entrySet()) {
      AdaptableLinear layer = layers.get(e.getKey());
      try (NDManager scope = manager.newSubManager()) {
        NDArray delta = weightDelta(e.getKey());
        delta.attach(scope);
        layer.setWeight(layer.weight().sub(delta));
      }
      layer.attach(e.getValue());
    }
    merged = false;
  }

  public boolean isMerged() {
    return merged;
  }

  /** Replaces the trainable arrays' values (checkpoint restore); names as {@link #parameters()}. */
  public void setParameters(Map<String, float[]> values) {
    for (Map.Entry<String, NDArray> e : parameters().entrySet()) {
      float[] v = values.get(e.getKey());
      if (v == null) throw new IllegalArgumentException("no value for adapter parameter " + e.getKey());
      NDArray p = e.getValue();
      if (v.length != p.size()) throw new IllegalArgumentException(e.getKey() + ": " + v.length + " values for shape " + p.getShape());
      p.set(java.nio.FloatBuffer.wrap(v));
    }
  }

  /** Detaches the adapters (unless merged) and frees their arrays. The layers keep their current weights. */
  @Override
  public void close() {
    if (!merged) for (AdaptableLinear layer : layers.values()) layer.detach();
    manager.close();
  }
}
