package dev.urae.model.flux;

import java.util.Arrays;
import java.util.Objects;

/**
 * The shape of a FLUX-family transformer, with the field names of diffusers'
 * {@code FluxTransformer2DModel} config. Immutable; build one with {@link #builder()} or take a
 * preset from {@link FluxPresets}.
 *
 * <p>{@code inChannels} counts packed channels: 4 × the codec's latent channels (2×2 packing).
 */
public final class FluxConfig {
  private final String name;
  private final int inChannels;
  private final int outChannels;
  private final int numLayers;
  private final int numSingleLayers;
  private final int attentionHeadDim;
  private final int numAttentionHeads;
  private final int jointAttentionDim;
  private final int pooledProjectionDim;
  private final boolean guidanceEmbeds;
  private final int[] axesDimsRope;
  private final double ropeTheta;
  private final int mlpRatio;

  private FluxConfig(Builder b) {
    this.name = b.name;
    this.inChannels = b.inChannels;
    this.outChannels = b.outChannels == 0 ? b.inChannels : b.outChannels;
    this.numLayers = b.numLayers;
    this.numSingleLayers = b.numSingleLayers;
    this.attentionHeadDim = b.attentionHeadDim;
    this.numAttentionHeads = b.numAttentionHeads;
    this.jointAttentionDim = b.jointAttentionDim;
    this.pooledProjectionDim = b.pooledProjectionDim;
    this.guidanceEmbeds = b.guidanceEmbeds;
    this.axesDimsRope = b.axesDimsRope.clone();
    this.ropeTheta = b.ropeTheta;
    this.mlpRatio = b.mlpRatio;
  }

  /** A new builder; required fields: inChannels, numLayers, numSingleLayers, attentionHeadDim,
   * numAttentionHeads, jointAttentionDim, pooledProjectionDim, axesDimsRope. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder preloaded with this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .optName(name)
        .setInChannels(inChannels)
        .optOutChannels(outChannels)
        .setNumLayers(numLayers)
        .setNumSingleLayers(numSingleLayers)
        .setAttentionHeadDim(attentionHeadDim)
        .setNumAttentionHeads(numAttentionHeads)
        .setJointAttentionDim(jointAttentionDim)
        .setPooledProjectionDim(pooledProjectionDim)
        .optGuidanceEmbeds(guidanceEmbeds)
        .setAxesDimsRope(axesDimsRope)
        .optRopeTheta(ropeTheta)
        .optMlpRatio(mlpRatio);
  }

  public String name() { return name; }
  /** Packed input channels (4 × latent channels). */
  public int inChannels() { return inChannels; }
  /** Packed output channels. */
  public int outChannels() { return outChannels; }
  /** Latent channels before 2×2 packing. */
  public int latentChannels() { return inChannels / 4; }
  /** Number of double-stream blocks. */
  public int numLayers() { return numLayers; }
  /** Number of single-stream blocks. */
  public int numSingleLayers() { return numSingleLayers; }
  public int attentionHeadDim() { return attentionHeadDim; }
  public int numAttentionHeads() { return numAttentionHeads; }
  /** Hidden size: heads × head dim. */
  public int innerDim() { return attentionHeadDim * numAttentionHeads; }
  /** Width of the text sequence embeddings (T5: 4096). */
  public int jointAttentionDim() { return jointAttentionDim; }
  /** Width of the pooled text embedding (CLIP: 768). */
  public int pooledProjectionDim() { return pooledProjectionDim; }
  /** Whether the model takes a guidance value (FLUX.1-dev yes, schnell no). */
  public boolean guidanceEmbeds() { return guidanceEmbeds; }
  /** RoPE dimensions per position axis (index, row, column); they sum to the head dim. */
  public int[] axesDimsRope() { return axesDimsRope.clone(); }
  public double ropeTheta() { return ropeTheta; }
  public int mlpRatio() { return mlpRatio; }
  /** Hidden width of the MLPs. */
  public int mlpHiddenDim() { return innerDim() * mlpRatio; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FluxConfig)) return false;
    FluxConfig c = (FluxConfig) o;
    return name.equals(c.name) && inChannels == c.inChannels && outChannels == c.outChannels
        && numLayers == c.numLayers && numSingleLayers == c.numSingleLayers
        && attentionHeadDim == c.attentionHeadDim && numAttentionHeads == c.numAttentionHeads
        && jointAttentionDim == c.jointAttentionDim && pooledProjectionDim == c.pooledProjectionDim
        && guidanceEmbeds == c.guidanceEmbeds && Arrays.equals(axesDimsRope, c.axesDimsRope)
        && ropeTheta == c.ropeTheta && mlpRatio == c.mlpRatio;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, inChannels, numLayers, numSingleLayers, attentionHeadDim, numAttentionHeads, jointAttentionDim);
  }

  @Override
  public String toString() {
    return "FluxConfig{" + name + ": hidden " + innerDim() + " (" + numAttentionHeads + "×" + attentionHeadDim
        + "), " + numLayers + " double + " + numSingleLayers + " single blocks, in " + inChannels
        + ", text " + jointAttentionDim + "/" + pooledProjectionDim + ", rope " + Arrays.toString(axesDimsRope)
        + " θ " + ropeTheta + (guidanceEmbeds ? ", guidance" : "") + "}";
  }

  /** Builds a {@link FluxConfig}: {@code setX} for required values, {@code optX} for optional ones. */
  public static final class Builder {
    private String name = "custom";
    private int inChannels;
    private int outChannels;
    private int numLayers = -1;
    private int numSingleLayers = -1;
    private int attentionHeadDim;
    private int numAttentionHeads;
    private int jointAttentionDim;
    private int pooledProjectionDim;
    private boolean guidanceEmbeds = true;
    private int[] axesDimsRope;
    private double ropeTheta = 10_000;
    private int mlpRatio = 4;

    private Builder() {}

    public Builder optName(String name) { this.name = name; return this; }
    public Builder setInChannels(int v) { this.inChannels = v; return this; }
    /** Defaults to inChannels. */
    public Builder optOutChannels(int v) { this.outChannels = v; return this; }
    public Builder setNumLayers(int v) { this.numLayers = v; return this; }
    public Builder setNumSingleLayers(int v) { this.numSingleLayers = v; return this; }
    public Builder setAttentionHeadDim(int v) { this.attentionHeadDim = v; return this; }
    public Builder setNumAttentionHeads(int v) { this.numAttentionHeads = v; return this; }
    public Builder setJointAttentionDim(int v) { this.jointAttentionDim = v; return this; }
    public Builder setPooledProjectionDim(int v) { this.pooledProjectionDim = v; return this; }
    /** Defaults to true. */
    public Builder optGuidanceEmbeds(boolean v) { this.guidanceEmbeds = v; return this; }
    public Builder setAxesDimsRope(int... v) { this.axesDimsRope = v == null ? null : v.clone(); return this; }
    /** Defaults to 10000. */
    public Builder optRopeTheta(double v) { this.ropeTheta = v; return this; }
    /** Defaults to 4. */
    public Builder optMlpRatio(int v) { this.mlpRatio = v; return this; }

    /** Validates and builds; every message names the offending field. */
    public FluxConfig build() {
      if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank");
      if (inChannels <= 0 || inChannels % 4 != 0) {
        throw new IllegalArgumentException("inChannels must be a positive multiple of 4 (2×2 packing), got " + inChannels);
      }
      if (outChannels < 0) throw new IllegalArgumentException("outChannels must be positive, got " + outChannels);
      if (numLayers < 0) throw new IllegalArgumentException("numLayers must be set and >= 0, got " + numLayers);
      if (numSingleLayers < 0) throw new IllegalArgumentException("numSingleLayers must be set and >= 0, got " + numSingleLayers);
      if (attentionHeadDim <= 0 || attentionHeadDim % 2 != 0) {
        throw new IllegalArgumentException("attentionHeadDim must be a positive even number, got " + attentionHeadDim);
      }
      if (numAttentionHeads <= 0) throw new IllegalArgumentException("numAttentionHeads must be positive, got " + numAttentionHeads);
      if (jointAttentionDim <= 0) throw new IllegalArgumentException("jointAttentionDim must be positive, got " + jointAttentionDim);
      if (pooledProjectionDim <= 0) throw new IllegalArgumentException("pooledProjectionDim must be positive, got " + pooledProjectionDim);
      if (axesDimsRope == null || axesDimsRope.length != 3) {
        throw new IllegalArgumentException("axesDimsRope must have 3 entries (index, row, column), got " + Arrays.toString(axesDimsRope));
      }
      int sum = 0;
      for (int d : axesDimsRope) {
        if (d <= 0 || d % 2 != 0) throw new IllegalArgumentException("axesDimsRope entries must be positive and even, got " + Arrays.toString(axesDimsRope));
        sum += d;
      }
      if (sum != attentionHeadDim) {
        throw new IllegalArgumentException("axesDimsRope must sum to attentionHeadDim " + attentionHeadDim + ", got " + Arrays.toString(axesDimsRope));
      }
      if (!(ropeTheta > 0)) throw new IllegalArgumentException("ropeTheta must be positive, got " + ropeTheta);
      if (mlpRatio <= 0) throw new IllegalArgumentException("mlpRatio must be positive, got " + mlpRatio);
      return new FluxConfig(this);
    }
  }
}
