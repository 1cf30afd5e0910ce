package dev.urae.model.adapter;

import java.util.Objects;

/**
 * How to build an adapter: kind, rank r, alpha α (LoRA scale α/r; default α = r) and targets.
 */
public final class AdapterSpec {
  private final AdapterKind kind;
  private final int rank;
  private final float alpha;
  private final AdapterTargets targets;

  private AdapterSpec(Builder b) {
    this.kind = b.kind;
    this.rank = b.rank;
    this.alpha = b.alpha == null ? b.rank : b.alpha;
    this.targets = b.targets;
  }

  /** URAE's defaults for a kind and rank: α = r, URAE's targets. */
  public static AdapterSpec urae(AdapterKind kind, int rank) {
    return builder().setKind(kind).setRank(rank).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public AdapterKind kind() {
    return kind;
  }

  public int rank() {
    return rank;
  }

  public float alpha() {
    return alpha;
  }

  /** α/r for LoRA; minor components are unscaled. */
  public float scale() {
    return kind == AdapterKind.LORA ? alpha / rank : 1f;
  }

  public AdapterTargets targets() {
    return targets;
  }

  @Override
  public String toString() {
    return kind.label() + " rank " + rank + (kind == AdapterKind.LORA ? " alpha " + alpha : "") + " on " + targets;
  }

  public static final class Builder {
    private AdapterKind kind;
    private int rank;
    private Float alpha;
    private AdapterTargets targets = AdapterTargets.URAE;

    public Builder setKind(AdapterKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder setRank(int rank) {
      this.rank = rank;
      return this;
    }

    public Builder optAlpha(float alpha) {
      this.alpha = alpha;
      return this;
    }

    public Builder optTargets(AdapterTargets targets) {
      this.targets = targets;
      return this;
    }

    public AdapterSpec build() {
      Objects.requireNonNull(kind, "kind == null");
      Objects.requireNonNull(targets, "targets == null");
      if (rank < 1) throw new IllegalArgumentException("rank must be positive, was " + rank);
      if (alpha != null && !(alpha > 0)) throw new IllegalArgumentException("alpha must be positive, was " + alpha);
      if (alpha != null && kind == AdapterKind.MINOR && alpha != rank) {
        throw new IllegalArgumentException("alpha does not apply to minor components (they are unscaled); leave it unset");
      }
      return new AdapterSpec(this);
    }
  }
}
