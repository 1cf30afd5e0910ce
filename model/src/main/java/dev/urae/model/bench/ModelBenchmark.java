package dev.urae.model.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.urae.model.flow.FlowMatching;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.flux.FluxConfig;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.nn.AdaptableLinear;
import dev.urae.model.nn.LinearAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Times the transformer on the JVM: forward (inference) and forward+backward of a training step
 * (frozen base, rank-4 LoRA-style deltas on the URAE targets, flow-matching MSE), for
 * {@code tiny} and {@code demo} at a few resolutions, with the process's peak resident memory.
 * When {@code python3} with torch is importable, the same computation runs in PyTorch eager
 * ({@code flux_bench.py}, built on the reference model the golden tests use) on the same
 * number of threads, and both figures are printed side by side.
 */
public final class ModelBenchmark {
  /** One configuration to time. */
  public record Case(String preset, int latentH, int latentW, int textTokens) {
    int imageTokens() {
      return (latentH / 2) * (latentW / 2);
    }
  }

  /** The default cases: tiny at 64 and 256 image tokens, demo at 256 and 1,024 (32² and 64² pixels). */
  public static final List<Case> DEFAULT_CASES = List.of(
      new Case("tiny", 16, 16, 8), new Case("tiny", 32, 32, 8),
      new Case("demo", 32, 32, 16), new Case("demo", 64, 64, 16));

  private static final int LORA_RANK = 4;

  private final List<Case> cases;
  private final double secondsPerPhase;
  private final boolean withPython;
  private final int threads;

  /**
   * @param threads intra-op threads for both sides; on a machine shared with other work, 1 avoids
   *     timing the threads' barrier waits instead of the model
   */
  public ModelBenchmark(List<Case> cases, double secondsPerPhase, boolean withPython, int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    this.cases = List.copyOf(cases);
    this.secondsPerPhase = secondsPerPhase;
    this.withPython = withPython;
    this.threads = threads;
  }

  /** Runs every case and prints a table to {@code out}. */
  public void run(PrintStream out) throws IOException, InterruptedException {
    Engine engine = Engine.getInstance();
    JniUtils.setNumThreads(threads);
    out.printf(Locale.ROOT, "urae bench model: %d cores, %d intra-op thread(s) on both sides, load average %s, DJL %s, engine %s %s;%n",
        Runtime.getRuntime().availableProcessors(), threads, loadAverage(), Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion());
    out.printf(Locale.ROOT, "training step = frozen base + rank-%d deltas on to_q/to_k/to_v(/to_out.0), flow-matching MSE, backward%n", LORA_RANK);
    String python = withPython ? pythonStatus() : "disabled (--no-python)";
    out.println("PyTorch eager reference: " + python);
    Path scripts = python.startsWith("torch") ? extractScripts() : null;
    out.println("each cell: min / median wall ms per step; ratio of the minimums");
    out.printf(Locale.ROOT, "%-6s %-7s %6s %4s | %-17s %-17s %-11s | %-17s %-17s %-11s | %-17s %-17s | %s%n",
        "preset", "latent", "tokens", "text", "fwd JVM", "fwd torch", "ratio", "f+b JVM", "f+b torch", "ratio",
        "fwd torch sdpa", "f+b torch sdpa", "peak RSS");
    for (Case c : cases) {
      double[] jvm = timeJvm(c);
      double[] torch = scripts == null ? null : timePython(scripts, c, "manual", threads);
      double[] sdpa = scripts == null ? null : timePython(scripts, c, "sdpa", threads);
      out.printf(Locale.ROOT, "%-6s %-7s %6d %4d | %-17s %-17s %-11s | %-17s %-17s %-11s | %-17s %-17s | %d MB%n",
          c.preset(), c.latentH() + "x" + c.latentW(), c.imageTokens(), c.textTokens(),
          fmt(jvm, 0), fmt(torch, 0), ratio(jvm, torch, 0), fmt(jvm, 1), fmt(torch, 1), ratio(jvm, torch, 1),
          fmt(sdpa, 0), fmt(sdpa, 1), peakRssMb());
      out.flush();
    }
    out.println("JVM attention is fused (scaled_dot_product_attention through a TorchScript module, nn.FusedAttention);");
    out.println("ratio = JVM / PyTorch eager with explicit matmul-softmax-matmul attention, best step of each; compare the JVM with the sdpa columns fused to fused;");
    out.println("on a shared machine the minimum is the fair figure: the median includes waiting for the cores.");
    out.println("sdpa = PyTorch eager with its fused scaled_dot_product_attention.");
    out.println("peak RSS = the process's high-water mark of resident memory so far (VmHWM), weights included.");
  }

  /** Milliseconds {forward min, forward+backward min, forward median, forward+backward median}. */
  double[] timeJvm(Case c) {
    FluxConfig config = FluxPresets.byName(c.preset());
    try (NDManager manager = NDManager.newBaseManager();
        FluxTransformer model = FluxTransformer.random(config, 0, manager)) {
      SeededRandom random = SeededRandom.seeded(0);
      List<NDArray> trainable = attachLora(model, random, manager);
      NDArray x = random.gaussian(manager, new Shape(1, c.imageTokens(), config.inChannels()));
      NDArray txt = random.gaussian(manager, new Shape(1, c.textTokens(), config.jointAttentionDim()));
      NDArray pooled = random.gaussian(manager, new Shape(1, config.pooledProjectionDim()));
      NDArray target = random.gaussian(manager, x.getShape());
      NDArray sigma = manager.create(new float[] {0.5f});
      NDArray guidance = manager.create(new float[] {1f});

      Runnable forward = () -> {
        try (NDScope scope = new NDScope()) {
          model.forward(x, txt, pooled, sigma, guidance, c.latentH(), c.latentW()).toFloatArray();
        }
      };
      Runnable trainStep = () -> {
        try (NDScope scope = new NDScope()) {
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray v = model.forward(x, txt, pooled, sigma, guidance, c.latentH(), c.latentW());
            collector.backward(FlowMatching.loss(v, target));
          }
          for (NDArray p : trainable) {
            NDArray g = p.getGradient();
            g.subi(g);
          }
        }
      };
      double[] f = timeMillis(forward);
      double[] b = timeMillis(trainStep);
      return new double[] {f[0], b[0], f[1], b[1]};
    }
  }

  /**
   * {minimum, median} wall milliseconds of {@code step} after warm-up. The minimum is what the
   * code does when nothing else competes for the cores, so it is the figure to compare on a
   * shared machine; the median shows the spread.
   */
  private double[] timeMillis(Runnable step) {
    for (int i = 0; i < 3; i++) step.run();
    List<Double> wall = new ArrayList<>();
    long deadline = System.nanoTime() + (long) (secondsPerPhase * 1e9);
    while (System.nanoTime() < deadline || wall.size() < 5) {
      long t0 = System.nanoTime();
      step.run();
      wall.add((System.nanoTime() - t0) / 1e6);
    }
    wall.sort(Double::compare);
    return new double[] {wall.get(0), wall.get(wall.size() / 2)};
  }

  /** Rank-4 deltas on the URAE targets, B small but non-zero so both factors get gradients. */
  private static List<NDArray> attachLora(FluxTransformer model, SeededRandom random, NDManager manager) {
    List<NDArray> trainable = new ArrayList<>();
    FluxConfig c = model.config();
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      for (String t : new String[] {"attn.to_q", "attn.to_k", "attn.to_v", "attn.to_out.0"}) targets.add("transformer_blocks." + i + "." + t);
    }
    for (int i = 0; i < c.numSingleLayers(); i++) {
      for (String t : new String[] {"attn.to_q", "attn.to_k", "attn.to_v"}) targets.add("single_transformer_blocks." + i + "." + t);
    }
    for (String name : targets) {
      AdaptableLinear linear = model.linears().get(name);
      NDArray aT = manager.create(random.gaussians(linear.inFeatures() * LORA_RANK), new Shape(linear.inFeatures(), LORA_RANK)).div(LORA_RANK);
      NDArray bT = manager.create(random.gaussians(LORA_RANK * linear.outFeatures()), new Shape(LORA_RANK, linear.outFeatures())).mul(0.01f);
      aT.setRequiresGradient(true);
      bT.setRequiresGradient(true);
      trainable.add(aT);
      trainable.add(bT);
      linear.attach(new LinearAdapter() {
        @Override
        public NDArray delta(NDArray input) {
          return input.matMul(aT).matMul(bT);
        }

        @Override
        public List<NDArray> trainableParameters() {
          return List.of(aT, bT);
        }
      });
    }
    return trainable;
  }

  private double[] timePython(Path scripts, Case c, String attention, int threads) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("python3", scripts.resolve("flux_bench.py").toString(), c.preset(), Integer.toString(c.latentH()),
        Integer.toString(c.latentW()), Integer.toString(c.textTokens()), Double.toString(secondsPerPhase), Integer.toString(threads), attention)
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IOException("flux_bench.py failed: " + output);
    double[] out = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    for (String line : output.split("\n")) {
      if (!line.startsWith("{")) continue;
      double min = Double.parseDouble(line.replaceAll(".*\"min_ms\": ([0-9.eE+-]+).*", "$1"));
      double median = Double.parseDouble(line.replaceAll(".*\"median_ms\": ([0-9.eE+-]+).*", "$1"));
      int phase = line.contains("\"forward_backward\"") ? 1 : 0;
      out[phase] = min;
      out[2 + phase] = median;
    }
    return out;
  }

  private static String pythonStatus() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import torch; print('torch ' + torch.__version__)").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return out;
      return "skipped: python3 cannot import torch (" + out.lines().reduce((a, b) -> b).orElse("") + ")";
    } catch (IOException | InterruptedException e) {
      return "skipped: python3 not found (" + e.getMessage() + ")";
    }
  }

  private static Path extractScripts() throws IOException {
    Path dir = Files.createTempDirectory("urae-bench");
    dir.toFile().deleteOnExit();
    for (String name : new String[] {"flux_reference.py", "flux_bench.py"}) {
      try (InputStream in = ModelBenchmark.class.getResourceAsStream(name)) {
        if (in == null) throw new IOException("benchmark script " + name + " is missing from the class path");
        Path file = dir.resolve(name);
        Files.copy(in, file);
        file.toFile().deleteOnExit();
      }
    }
    return dir;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** VmHWM of this process in MB (Linux), or −1 elsewhere. */
  static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no figure
    }
    return -1;
  }

  private static String fmt(double[] v, int phase) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", v[phase], v[2 + phase]);
  }

  private static String ratio(double[] jvm, double[] torch, int phase) {
    return torch == null ? "-" : String.format(Locale.ROOT, "%.2fx", jvm[phase] / torch[phase]);
  }


  /** Parses "preset:HxW" items, e.g. {@code demo:64x64}, with the default text length. */
  public static List<Case> parseCases(List<String> specs) {
    List<Case> out = new ArrayList<>();
    for (String spec : specs) {
      String[] parts = spec.split("[:x]");
      if (parts.length != 3) throw new IllegalArgumentException("case '" + spec + "' must look like demo:64x64");
      FluxPresets.byName(parts[0]);
      int h = Integer.parseInt(parts[1]);
      int w = Integer.parseInt(parts[2]);
      if (h % 2 != 0 || w % 2 != 0) throw new IllegalArgumentException("case '" + spec + "': latent sides must be even");
      out.add(new Case(parts[0], h, w, parts[0].equals("tiny") ? 8 : 16));
    }
    return out;
  }

  /** Entry point for running without the CLI: {@code java ... ModelBenchmark [case ...]}. */
  public static void main(String[] args) throws Exception {
    List<Case> cases = args.length == 0 ? DEFAULT_CASES : parseCases(Arrays.asList(args));
    new ModelBenchmark(cases, 3.0, true, Runtime.getRuntime().availableProcessors()).run(System.out);
  }
}
