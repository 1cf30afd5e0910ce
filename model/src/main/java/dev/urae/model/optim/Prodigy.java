package dev.urae.model.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prodigy (Mishchenko and Defazio, "Prodigy: An Expeditiously Adaptive Parameter-Free
 * Learner", 2023): Adam whose step size d is estimated on the fly from the distance travelled
 * from the initial point x₀. With learning rate λ, β₃ = sqrt(β₂), d₀ and, at step k (from 0),
 * bias correction c_k = sqrt(1 − β₂^(k+1)) / (1 − β₁^(k+1)) and η_k = d_k·λ·c_k:
 *
 * <pre>
 *   r     ← β₃·r + (d_k/d₀)·η_k·⟨g, x₀ − x⟩                  (summed over all parameters)
 *   m     ← β₁·m + d_k·(1 − β₁)·g
 *   v     ← β₂·v + d_k²·(1 − β₂)·g²
 *   s     ← β₃·s + (d_k/d₀)·d_k·g      (safeguard warm-up; else (d_k/d₀)·η_k·g)
 *   d̂     = r / Σ‖s‖₁
 *   d_k+1 = max(d_k, d̂)
 *   x     ← x − η_k·λ_wd·x − η_k·m / (sqrt(v) + d_k+1·ε)     (decoupled weight decay)
 * </pre>
 *
 * The paper's (1 − β₃) factors cancel in d̂ and the d/d₀ scaling keeps r and s away from
 * float underflow; both follow the authors' reference implementation, which URAE uses with
 * λ = 1, β = (0.9, 0.999), weight decay 1e-4, decoupled, bias correction and safeguard
 * warm-up on.
 */
public final class Prodigy implements AdapterOptimizer {
  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double beta3;
  private final double eps;
  private final double weightDecay;
  private final double d0;
  private final boolean biasCorrection;
  private final boolean safeguardWarmup;

  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private final Map<String, NDArray> s = new LinkedHashMap<>();
  private final Map<String, NDArray> x0 = new LinkedHashMap<>();
  private Map<String, OptimizerState.StateTensor> pending = Map.of();
  private double d;
  private double numerator;
  private long k;
  private double lastStepSize;

  private Prodigy(Builder b) {
    this.lr = b.lr;
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.beta3 = Math.sqrt(b.beta2);
    this.eps = b.eps;
    this.weightDecay = b.weightDecay;
    this.d0 = b.d0;
    this.biasCorrection = b.biasCorrection;
    this.safeguardWarmup = b.safeguardWarmup;
    this.d = b.d0;
  }

  /** URAE's settings: lr 1.0, betas 0.9/0.999, weight decay 1e-4 decoupled, bias correction, safeguard warm-up, d₀ 1e-6. */
  public static Prodigy urae() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void step(Map<String, NDArray> parameters, Map<String, NDArray> gradients) {
    double correction = biasCorrection ? Math.sqrt(1 - Math.pow(beta2, k + 1)) / (1 - Math.pow(beta1, k + 1)) : 1;
    double stepSize = d * lr * correction;
    double r = numerator * beta3;
    double denominator = 0;
    // First pass: moments, s and the two sums that estimate d.
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      NDArray g = Moments.gradient(gradients, name);
      NDArray x0i = Moments.anchor(x0, pending, "x0." + name, name, p);
      NDArray mi = Moments.slot(m, pending, "m." + name, name, p);
      NDArray vi = Moments.slot(v, pending, "v." + name, name, p);
      NDArray si = Moments.slot(s, pending, "s." + name, name, p);
      try (NDManager scope = p.getManager().newSubManager()) {
        // Intermediates land in the scope; the state arrays go back to their manager after.
        Moments.borrow(scope, p, g, x0i, mi, vi, si);
        NDArray gs = g;
        r += (d / d0) * stepSize * gs.mul(x0i.sub(p)).sum().getFloat();
        mi.muli(beta1).addi(gs.mul(d * (1 - beta1)));
        vi.muli(beta2).addi(gs.mul(gs).muli(d * d * (1 - beta2)));
        si.muli(beta3).addi(gs.mul((d / d0) * (safeguardWarmup ? d : stepSize)));
        denominator += si.abs().sum().getFloat();
      }
    }
    if (denominator == 0) return; // all gradients zero: no information, nothing moves
    numerator = r;
    d = Math.max(d, r / denominator);
    // Second pass: the Adam step with the old step size and the new d in ε's place.
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      try (NDManager scope = p.getManager().newSubManager()) {
        Moments.borrow(scope, p, m.get(name), v.get(name));
        NDArray denom = v.get(name).sqrt().addi(d * eps);
        if (weightDecay != 0) p.muli(1 - weightDecay * stepSize);
        p.subi(m.get(name).div(denom).muli(stepSize));
      }
    }
    k++;
    lastStepSize = stepSize;
  }

  /** The step size η = d·λ·c of the last update. */
  @Override
  public double learningRate() {
    return lastStepSize;
  }

  /** The current estimate of d. */
  public double d() {
    return d;
  }

  @Override
  public OptimizerState state() {
    Map<String, OptimizerState.StateTensor> tensors = new LinkedHashMap<>(pending);
    x0.forEach((name, a) -> tensors.put("x0." + name, Moments.snapshot(a)));
    m.forEach((name, a) -> tensors.put("m." + name, Moments.snapshot(a)));
    v.forEach((name, a) -> tensors.put("v." + name, Moments.snapshot(a)));
    s.forEach((name, a) -> tensors.put("s." + name, Moments.snapshot(a)));
    Map<String, String> scalars = new LinkedHashMap<>();
    scalars.put("k", Long.toString(k));
    scalars.put("d", Double.toString(d));
    scalars.put("numerator", Double.toString(numerator));
    scalars.put("last_step_size", Double.toString(lastStepSize));
    return new OptimizerState("prodigy", tensors, scalars);
  }

  @Override
  public void restore(OptimizerState state) {
    if (!state.kind().equals("prodigy")) throw new IllegalArgumentException("cannot restore Prodigy from " + state.kind() + " state");
    for (Map<String, NDArray> slots : java.util.List.of(m, v, s, x0)) {
      slots.values().forEach(NDArray::close);
      slots.clear();
    }
    k = (long) state.scalar("k");
    d = state.scalar("d");
    numerator = state.scalar("numerator");
    lastStepSize = state.scalar("last_step_size");
    pending = new LinkedHashMap<>(state.tensors());
  }

  /** Prodigy settings; defaults are URAE's. */
  public static final class Builder {
    private double lr = 1.0;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private double weightDecay = 1e-4;
    private double d0 = 1e-6;
    private boolean biasCorrection = true;
    private boolean safeguardWarmup = true;

    public Builder optLearningRate(double lr) {
      this.lr = lr;
      return this;
    }

    public Builder optBetas(double beta1, double beta2) {
      this.beta1 = beta1;
      this.beta2 = beta2;
      return this;
    }

    public Builder optEps(double eps) {
      this.eps = eps;
      return this;
    }

    public Builder optWeightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder optD0(double d0) {
      this.d0 = d0;
      return this;
    }

    public Builder optBiasCorrection(boolean on) {
      this.biasCorrection = on;
      return this;
    }

    public Builder optSafeguardWarmup(boolean on) {
      this.safeguardWarmup = on;
      return this;
    }

    public Prodigy build() {
      if (!(lr > 0)) throw new IllegalArgumentException("lr must be positive, was " + lr);
      if (beta1 < 0 || beta1 >= 1) throw new IllegalArgumentException("beta1 must be in [0, 1), was " + beta1);
      if (beta2 < 0 || beta2 >= 1) throw new IllegalArgumentException("beta2 must be in [0, 1), was " + beta2);
      if (!(eps > 0)) throw new IllegalArgumentException("eps must be positive, was " + eps);
      if (weightDecay < 0) throw new IllegalArgumentException("weightDecay must not be negative, was " + weightDecay);
      if (!(d0 > 0)) throw new IllegalArgumentException("d0 must be positive, was " + d0);
      return new Prodigy(this);
    }
  }
}
