package dev.urae.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * A linear layer {@code y = x·Wᵀ + b} in PyTorch layout (weight {@code [out, in]}) that an
 * adapter can be attached to: with an adapter, {@code y = x·Wᵀ + b + adapter.delta(x)}.
 *
 * <p>The base weight and bias are frozen: they never require gradients, so training touches only
 * the adapter's parameters. Replace them only through {@link #setWeight(NDArray)} / {@link
 * #setBias(NDArray)}; the arrays returned by {@link #weight()} and {@link #bias()} must be
 * treated as read-only.
 *
 * <p>Weights keep the dtype they were given (a bf16 checkpoint stays bf16: half the memory of
 * float32). When it differs from the input's, {@link #baseForward} casts a temporary copy of
 * the weight to the input's dtype for the call, so the layer computes in float32 either way;
 * with {@link #setPrecision(Precision) Precision.BF16} it computes the product in the weight's
 * stored dtype instead ({@link StoredDTypeLinear}: no float32 copy of the weight, float32 in and
 * out).
 *
 * <p>It is a DJL block so it can sit in DJL block trees, but the model calls {@link
 * #forward(NDArray)} directly to keep the per-call overhead low.
 */
public final class AdaptableLinear extends AbstractBlock {
  private final NDManager manager;
  private final int inFeatures;
  private final int outFeatures;
  private final boolean withBias;
  private NDArray weight;
  private NDArray bias;
  private LinearAdapter adapter;
  private Precision precision = Precision.FP32;

  /**
   * Creates a layer owning {@code weight} ([out, in]) and optionally {@code bias} ([out]); both
   * are attached to {@code manager}.
   */
  public AdaptableLinear(NDManager manager, NDArray weight, NDArray bias) {
    this.manager = Objects.requireNonNull(manager, "manager == null");
    Objects.requireNonNull(weight, "weight == null");
    if (weight.getShape().dimension() != 2) {
      throw new IllegalArgumentException("weight must be [out, in], got " + weight.getShape());
    }
    this.outFeatures = Math.toIntExact(weight.getShape().get(0));
    this.inFeatures = Math.toIntExact(weight.getShape().get(1));
    this.withBias = bias != null;
    setWeight(weight);
    if (bias != null) setBias(bias);
  }

  /** A zero-initialised layer of the given size (weights are expected to be loaded later). */
  public static AdaptableLinear zeros(NDManager manager, int in, int out, boolean withBias) {
    return new AdaptableLinear(
        manager,
        manager.zeros(new Shape(out, in), DataType.FLOAT32),
        withBias ? manager.zeros(new Shape(out), DataType.FLOAT32) : null);
  }

  /** {@code x·Wᵀ + b (+ adapter.delta(x))} for {@code x} of shape {@code [..., in]}. */
  public NDArray forward(NDArray x) {
    NDArray y = baseForward(x);
    return adapter == null ? y : y.add(adapter.delta(x));
  }

  /** {@code x·Wᵀ + b}, ignoring any attached adapter. */
  public NDArray baseForward(NDArray x) {
    if (computesInStoredDType(x)) return StoredDTypeLinear.forward(x, weight, bias);
    return x.getNDArrayInternal().linear(x, castFor(weight, x), castFor(bias, x)).singletonOrThrow();
  }

  /**
   * {@code array} in {@code x}'s dtype: itself when it already is, else a temporary copy owned
   * by {@code x}'s manager (so it goes when the step's scope or manager does).
   */
  public static NDArray castFor(NDArray array, NDArray x) {
    if (array == null || array.getDataType() == x.getDataType()) return array;
    NDArray cast = array.toType(x.getDataType(), false);
    cast.attach(x.getManager());
    return cast;
  }

  /** How the product is computed when the weight's dtype is not the input's. */
  public void setPrecision(Precision precision) {
    this.precision = Objects.requireNonNull(precision, "precision == null");
  }

  public Precision precision() {
    return precision;
  }

  /** Whether a call on {@code x} computes in the weight's stored dtype (bf16 mixed precision with a lower-precision weight). */
  boolean computesInStoredDType(NDArray x) {
    return precision == Precision.BF16 && weight.getDataType() != x.getDataType();
  }

  /** Attaches an adapter, replacing any previous one. */
  public void attach(LinearAdapter adapter) {
    this.adapter = Objects.requireNonNull(adapter, "adapter == null");
  }

  /** Removes the adapter, if any. */
  public void detach() {
    this.adapter = null;
  }

  /** The attached adapter, or {@code null}. */
  public LinearAdapter adapter() {
    return adapter;
  }

  /** The frozen base weight {@code [out, in]}; read-only. */
  public NDArray weight() {
    return weight;
  }

  /** The frozen bias {@code [out]}, or {@code null} when the layer has none. */
  public NDArray bias() {
    return bias;
  }

  /**
   * Replaces the base weight (merge, unmerge, minor-component initialisation W ← W − b·a).
   * The new array moves to this layer's manager, keeps its dtype, and never requires a
   * gradient; the previous array is closed.
   */
  public void setWeight(NDArray weight) {
    requireShape("weight", weight, new Shape(outFeatures, inFeatures));
    NDArray previous = this.weight;
    this.weight = adopt(weight);
    register("weight", Parameter.Type.WEIGHT, this.weight);
    release(previous, weight);
  }

  /** Replaces the bias, same rules as {@link #setWeight(NDArray)}. */
  public void setBias(NDArray bias) {
    if (!withBias) throw new IllegalStateException("this layer has no bias");
    requireShape("bias", bias, new Shape(outFeatures));
    NDArray previous = this.bias;
    this.bias = adopt(bias);
    register("bias", Parameter.Type.BIAS, this.bias);
    release(previous, bias);
  }

  /** Input features. */
  public int inFeatures() {
    return inFeatures;
  }

  /** Output features. */
  public int outFeatures() {
    return outFeatures;
  }

  /** Whether the layer has a bias. */
  public boolean hasBias() {
    return withBias;
  }

  private NDArray adopt(NDArray array) {
    NDArray value = array;
    // Base weights are frozen: they must never collect gradients.
    if (value.hasGradient()) value = value.stopGradient();
    value.attach(manager);
    // Weights outlive any NDScope the caller may be in.
    NDScope.unregister(value);
    return value;
  }

  private void register(String name, Parameter.Type type, NDArray array) {
    // DJL parameters accept an array once, so a replacement registers a fresh descriptor.
    parameters.put(name, Parameter.builder().setName(name).setType(type).optRequiresGrad(false).optArray(array).build());
  }

  private static void release(NDArray previous, NDArray given) {
    if (previous != null && previous != given) previous.close();
  }

  private static void requireShape(String what, NDArray array, Shape expected) {
    Objects.requireNonNull(array, what + " == null");
    if (!array.getShape().equals(expected)) {
      throw new IllegalArgumentException(what + " must have shape " + expected + ", got " + array.getShape());
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(inputs.singletonOrThrow()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
  }

  @Override
  public String toString() {
    return "AdaptableLinear(" + inFeatures + " -> " + outFeatures + (hasBias() ? ", bias" : "") + (adapter == null ? "" : ", adapted") + ")";
  }
}
