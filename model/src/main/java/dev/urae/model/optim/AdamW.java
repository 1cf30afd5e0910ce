package dev.urae.model.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * AdamW (Loshchilov and Hutter): Adam moments with bias correction and decoupled weight decay
 * p ← p − lr·(m̂ / (sqrt(v̂) + ε) + λ·p); the learning rate is constant unless a schedule
 * (a factor by step number, from 1) is given.
 */
public final class AdamW implements AdapterOptimizer {
  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final LongToDoubleFunction schedule;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private Map<String, OptimizerState.StateTensor> pending = Map.of();
  private long step;

  public AdamW(double lr, double beta1, double beta2, double eps, double weightDecay) {
    this(lr, beta1, beta2, eps, weightDecay, step -> 1);
  }

  /** With a learning-rate schedule: step n (from 1) uses lr·schedule(n). */
  public AdamW(double lr, double beta1, double beta2, double eps, double weightDecay, LongToDoubleFunction schedule) {
    this.schedule = java.util.Objects.requireNonNull(schedule, "schedule == null");
    if (!(lr > 0)) throw new IllegalArgumentException("lr must be positive, was " + lr);
    if (beta1 < 0 || beta1 >= 1) throw new IllegalArgumentException("beta1 must be in [0, 1), was " + beta1);
    if (beta2 < 0 || beta2 >= 1) throw new IllegalArgumentException("beta2 must be in [0, 1), was " + beta2);
    if (!(eps > 0)) throw new IllegalArgumentException("eps must be positive, was " + eps);
    if (weightDecay < 0) throw new IllegalArgumentException("weightDecay must not be negative, was " + weightDecay);
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /** The diffusers training scripts' defaults with URAE's weight decay: betas 0.9/0.999, ε 1e-8, λ 1e-4. */
  public static AdamW withLearningRate(double lr) {
    return new AdamW(lr, 0.9, 0.999, 1e-8, 1e-4);
  }

  @Override
  public void step(Map<String, NDArray> parameters, Map<String, NDArray> gradients) {
    step++;
    double c1 = 1 - Math.pow(beta1, step);
    double c2 = 1 - Math.pow(beta2, step);
    double lr = learningRate();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      NDArray g = Moments.gradient(gradients, name);
      NDArray mi = Moments.slot(m, pending, "m." + name, name, p);
      NDArray vi = Moments.slot(v, pending, "v." + name, name, p);
      try (NDManager scope = p.getManager().newSubManager()) {
        // Intermediates land in the scope; the state arrays go back to their manager after.
        Moments.borrow(scope, p, g, mi, vi);
        mi.muli(beta1).addi(g.mul(1 - beta1));
        vi.muli(beta2).addi(g.mul(g).muli(1 - beta2));
        NDArray update = mi.div(c1).divi(vi.div(c2).sqrt().addi(eps));
        if (weightDecay != 0) p.muli(1 - lr * weightDecay);
        p.subi(update.muli(lr));
      }
    }
  }

  @Override
  public double learningRate() {
    return lr * schedule.applyAsDouble(Math.max(step, 1));
  }

  @Override
  public OptimizerState state() {
    Map<String, OptimizerState.StateTensor> tensors = new LinkedHashMap<>(pending);
    m.forEach((name, array) -> tensors.put("m." + name, Moments.snapshot(array)));
    v.forEach((name, array) -> tensors.put("v." + name, Moments.snapshot(array)));
    return new OptimizerState("adamw", tensors, Map.of("step", Long.toString(step)));
  }

  @Override
  public void restore(OptimizerState state) {
    if (!state.kind().equals("adamw")) throw new IllegalArgumentException("cannot restore AdamW from " + state.kind() + " state");
    m.values().forEach(NDArray::close);
    v.values().forEach(NDArray::close);
    m.clear();
    v.clear();
    step = (long) state.scalar("step");
    pending = new LinkedHashMap<>(state.tensors()); // bound to parameters on the next step
  }

  static Shape shape(OptimizerState.StateTensor t) {
    return new Shape(t.shape());
  }
}
