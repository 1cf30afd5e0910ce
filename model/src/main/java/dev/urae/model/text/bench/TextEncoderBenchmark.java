package dev.urae.model.text.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.component.RandomComponent;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.SafeTensorsWriter;
import dev.urae.model.text.clip.ClipTextConfig;
import dev.urae.model.text.clip.ClipTextModel;
import dev.urae.model.text.t5.T5Config;
import dev.urae.model.text.t5.T5Encoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Encoding throughput of the JVM's CLIP text model and T5 encoder beside transformers' on the
 * same random checkpoints, the same token ids and the same intra-op thread count. Tokenization
 * is not timed (both sides run the same Rust tokenizers library). Prints prompts per second and
 * the JVM/transformers time ratio (target ≤ 1.2), and beside it the ratio of process CPU time
 * per batch: on a shared machine the wall-clock ratio swings with the other processes, the CPU
 * ratio much less.
 */
public final class TextEncoderBenchmark {
  /** The configurations to time. */
  public record Size(String name, ClipTextConfig clip, T5Config t5) {}

  /** Tiny bodies (overhead-bound). */
  public static final Size TINY = new Size("tiny", ClipTextConfig.TINY, T5Config.TINY);
  /** Medium: CLIP 512 wide × 6 layers, T5 512 wide (8 × 64 heads) × 6 layers, real vocabularies. */
  public static final Size MEDIUM = new Size("medium",
      new ClipTextConfig(49408, 512, 2048, 6, 8, 77, "quick_gelu", 1e-5, 0, 2, 1, 512),
      new T5Config(32128, 512, 64, 1024, 6, 8, 32, 128, 1e-6));
  /** Sizes by name. */
  public static final Map<String, Size> SIZES = Map.of("tiny", TINY, "medium", MEDIUM);

  private final Size size;
  private final int batch;
  private final int t5Tokens;
  private final int threads;
  private final double seconds;
  private final boolean withPython;

  public TextEncoderBenchmark(Size size, int batch, int t5Tokens, int threads, double seconds, boolean withPython) {
    if (batch < 1 || t5Tokens < 2 || threads < 1 || !(seconds > 0)) throw new IllegalArgumentException("batch, t5Tokens, threads and seconds must be positive");
    this.size = size;
    this.batch = batch;
    this.t5Tokens = t5Tokens;
    this.threads = threads;
    this.seconds = seconds;
    this.withPython = withPython;
  }

  /** Runs both sides and prints the figures. */
  public void run(PrintStream out) throws IOException, InterruptedException {
    Engine engine = Engine.getEngine("PyTorch");
    JniUtils.setNumThreads(threads);
    out.printf(Locale.ROOT, "text encoders, %s: CLIP %d wide x %d layers (77 tokens), T5 %d wide x %d layers (%d tokens); batch %d; %d thread(s); %s %s%n",
        size.name(), size.clip().hiddenSize(), size.clip().numLayers(), size.t5().dModel(), size.t5().numLayers(), t5Tokens, batch, threads,
        engine.getEngineName(), engine.getVersion());
    Path dir = Files.createTempDirectory("urae-bench-text");
    try {
      RandomComponent.write(size.clip(), dir.resolve("text_encoder"), 1, DType.F32);
      RandomComponent.write(size.t5(), dir.resolve("text_encoder_2"), 2, DType.F32);
      SeededRandom random = SeededRandom.seeded(3);
      long[] clipIds = randomIds(random, batch * 77, size.clip().vocabSize());
      long[] t5Ids = randomIds(random, batch * t5Tokens, size.t5().vocabSize());
      Map<String, Timing> jvm = new HashMap<>();
      try (NDManager manager = NDManager.newBaseManager();
           ClipTextModel clip = ClipTextModel.load(Checkpoint.open(dir.resolve("text_encoder")).component("text_encoder"), Device.cpu(), manager);
           T5Encoder t5 = T5Encoder.load(Checkpoint.open(dir.resolve("text_encoder_2")).component("text_encoder_2"), Device.cpu(), manager)) {
        NDArray clipArray = manager.create(clipIds, new Shape(batch, 77));
        NDArray t5Array = manager.create(t5Ids, new Shape(batch, t5Tokens));
        new SafeTensorsWriter().add("clip", clipArray).add("t5", t5Array).write(dir.resolve("ids.safetensors"));
        jvm.put("clip", timed(manager, () -> clip.forward(clipArray).get(1)));
        jvm.put("t5", timed(manager, () -> t5.forward(t5Array)));
      }
      Map<String, Timing> python = withPython ? python(dir, out) : Map.of();
      out.println("encoder  JVM prompts/s  transformers prompts/s  JVM/transformers time  JVM/transformers CPU");
      for (String name : List.of("clip", "t5")) {
        Timing j = jvm.get(name);
        Timing p = python.get(name);
        out.printf(Locale.ROOT, "%-8s %13.1f  %22s  %21s  %20s%n", name, batch / j.wall(), p == null ? "-" : String.format(Locale.ROOT, "%.1f", batch / p.wall()),
            p == null ? "-" : String.format(Locale.ROOT, "%.2f", j.wall() / p.wall()), p == null ? "-" : String.format(Locale.ROOT, "%.2f", j.cpu() / p.cpu()));
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Median wall-clock and process CPU seconds of one batch. */
  private record Timing(double wall, double cpu) {}

  /** Median seconds per call after a warm-up, within the time budget (at most 50 calls). */
  private Timing timed(NDManager manager, Supplier<NDArray> call) {
    try (NDManager scratch = manager.newSubManager()) {
      call.get().toFloatArray();
    }
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<Double> times = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    long start = System.nanoTime();
    while (times.isEmpty() || ((System.nanoTime() - start) / 1e9 < seconds && times.size() < 50)) {
      long t = System.nanoTime();
      long c = os.getProcessCpuTime();
      NDArray result = call.get();
      result.toFloatArray();
      cpu.add((os.getProcessCpuTime() - c) / 1e9);
      times.add((System.nanoTime() - t) / 1e9);
      result.close();
    }
    return new Timing(median(times), median(cpu));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private Map<String, Timing> python(Path dir, PrintStream out) throws IOException, InterruptedException {
    Path script = dir.resolve("text_encoders_transformers.py");
    try (InputStream in = TextEncoderBenchmark.class.getResourceAsStream("text_encoders_transformers.py")) {
      Files.copy(in, script);
    }
    Process p = new ProcessBuilder("python3", script.toString(), dir.toString(), dir.resolve("ids.safetensors").toString(),
        Integer.toString(threads), Double.toString(seconds)).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, Timing> out2 = new HashMap<>();
    if (p.waitFor() != 0) {
      out.println("transformers: skipped (" + text.lines().reduce((a, b) -> b).orElse("python3 failed") + ")");
      return out2;
    }
    for (String line : text.lines().toList()) {
      String[] parts = line.trim().split(" ");
      if (parts.length == 3 && (parts[0].equals("clip") || parts[0].equals("t5"))) out2.put(parts[0], new Timing(Double.parseDouble(parts[1]), Double.parseDouble(parts[2])));
    }
    return out2;
  }

  private static long[] randomIds(SeededRandom random, int n, int vocab) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) ids[i] = random.nextInt(vocab);
    return ids;
  }
}
