package dev.urae.model.plan;

import java.util.List;
import java.util.Locale;

/** Every stage's estimate for one workload and device, and the verdict. */
public record MemoryPlan(Workload workload, List<StageEstimate> stages) {
  private static final double GIB = 1024.0 * 1024 * 1024;

  public MemoryPlan {
    stages = List.copyOf(stages);
  }

  /** Whether every stage's peak fits in the device's memory. */
  public boolean fits() {
    return stages.stream().allMatch(this::fits);
  }

  public boolean fits(StageEstimate s) {
    return s.peak() <= workload.deviceBytes();
  }

  /** The stage of this plan whose name starts with {@code prefix}. */
  public StageEstimate stage(String prefix) {
    return stages.stream().filter(s -> s.stage().startsWith(prefix)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage " + prefix + " in " + stages.stream().map(StageEstimate::stage).toList()));
  }

  /** The table {@code urae plan} prints and a refusing stage shows. */
  public String table() {
    Workload w = workload;
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "memory plan: %s at %dx%d (%,d image + %d text tokens), %s rank %d, weights %s, activations fp32%s, device %.1f GiB%n",
        w.modelName(), w.width(), w.height(), w.imageTokens(), w.textTokens(), w.adapter().name().toLowerCase(Locale.ROOT), w.rank(),
        w.weightBytes() == 2 ? "bf16" : "fp32", w.weightBytes() == 2 && w.checkpointing() ? " (checkpointed block inputs bf16)" : "", w.deviceBytes() / GIB));
    out.append(String.format(Locale.ROOT, "%-22s %9s %12s %13s %12s %10s %9s  %s%n", "stage (GiB)", "weights", "activations", "(no ckpt)",
        "adapter+opt", "VAE tiles", "peak", "fits"));
    for (StageEstimate s : stages) {
      String noCkpt = s.withoutCheckpointing() == s.activations() && !s.checkpointing() ? "" : gib(s.withoutCheckpointing());
      out.append(String.format(Locale.ROOT, "%-22s %9s %12s %13s %12s %10s %9s  %s%n", s.stage(), gib(s.weights()),
          gib(s.activations()) + (s.checkpointing() ? "*" : ""), noCkpt, gib(s.adapterAndOptimizer()), gib(s.vaeTiles()), gib(s.peak()),
          fits(s) ? "yes" : "NO"));
    }
    if (stages.stream().anyMatch(StageEstimate::checkpointing)) out.append("* with activation checkpointing (block inputs kept, blocks recomputed in the backward pass)\n");
    return out.toString();
  }

  private static String gib(long bytes) {
    return bytes == 0 ? "-" : String.format(Locale.ROOT, "%.1f", bytes / GIB);
  }
}
