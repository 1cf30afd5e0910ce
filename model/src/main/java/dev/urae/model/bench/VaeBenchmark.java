package dev.urae.model.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.component.RandomComponent;
import dev.urae.model.flow.SeededRandom;
import dev.urae.model.tensors.DType;
import dev.urae.model.vae.AutoencoderKl;
import dev.urae.model.vae.VaeConfig;
import dev.urae.model.vae.VaeTiling;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Peak memory and time of one VAE encode and one decode of a square image, whole beside tiled,
 * on a random VAE of FLUX's architecture (16 latent channels, 8× downsampling, two ResNet layers
 * per level, mid-block attention) at chosen widths, float32 on CPU; also how far the tiled result
 * is from the whole one (RMS of the difference over RMS of the whole). Run with {@code
 * MALLOC_MMAP_THRESHOLD_=65536} so freed tensors leave the resident set.
 */
public final class VaeBenchmark {
  /** A quarter of FLUX's widths (128, 256, 512, 512): the same memory shape, a sixteenth of the work. */
  public static final List<Integer> DEFAULT_WIDTHS = List.of(32, 64, 128, 128);

  private static final double MIB = 1024.0 * 1024;

  private final int side;
  private final VaeTiling tiling;
  private final VaeConfig config;
  private final int threads;

  public VaeBenchmark(int side, VaeTiling tiling, List<Integer> widths, int threads) {
    if (side < 8 || side % 8 != 0) throw new IllegalArgumentException("image side must be a positive multiple of 8, got " + side);
    if (!tiling.enabled() || tiling.tile() >= side) throw new IllegalArgumentException("tiling " + tiling + " does not split a " + side + "-pixel image; give a smaller tile");
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    this.side = side;
    this.tiling = tiling;
    this.config = new VaeConfig(3, 3, 16, List.copyOf(widths), 2, 32, VaeConfig.FLUX_DEV.scalingFactor(), VaeConfig.FLUX_DEV.shiftFactor(), false, false, true);
    this.threads = threads;
  }

  public void run(PrintStream out) throws IOException {
    if (!ResidentMemory.measurable()) throw new IllegalStateException("peak memory needs Linux with a writable /proc/self/clear_refs");
    if (!ResidentMemory.freedTensorsLeave()) {
      out.println("warning: MALLOC_MMAP_THRESHOLD_ is not 65536 or less: freed memory stays resident and later peaks read low; run with MALLOC_MMAP_THRESHOLD_=65536");
    } else {
      // measured at 512 px, tiles 256/64, 1 thread: tiled encode 24.7 s with it, 6.8 s without (whole: 11.9, 7.0)
      out.println("note: with MALLOC_MMAP_THRESHOLD_=65536 every freed tensor is unmapped and the next one faults in fresh pages, which a tile"
          + " does for every tile: times read 2-4x slow, tiled ones most; time the passes without it (peaks then read low)");
    }
    Engine.getInstance();
    JniUtils.setNumThreads(threads);
    Path dir = Files.createTempDirectory("urae-bench-vae");
    try (NDManager manager = NDManager.newBaseManager()) {
      RandomComponent.write(config, dir.resolve("vae"), 0, DType.F32);
      try (AutoencoderKl vae = AutoencoderKl.load(Checkpoint.open(dir.resolve("vae")).component("vae"), Device.cpu(), manager, "bench")) {
        out.printf(Locale.ROOT, "urae bench vae: random VAE, widths %s, %d latent channels, image %d x %d, fp32, CPU, %d thread(s)%n",
            config.blockOutChannels(), config.latentChannels(), side, side, threads);
        out.println("peak: resident memory above the resident size before the pass; difference: RMS(tiled - whole) / RMS(whole)");
        out.printf(Locale.ROOT, "%-7s %-9s %9s %10s %11s%n", "pass", "tiling", "seconds", "peak MiB", "difference");
        NDArray image = SeededRandom.seeded(1).gaussian(manager, new Shape(1, 3, side, side)).clip(-1, 1);
        NDArray latents = SeededRandom.seeded(2).gaussian(manager, new Shape(1, config.latentChannels(), side / 8, side / 8));
        compare(out, vae, "encode", x -> vae.encodeRawPosterior(x).mean(), image);
        compare(out, vae, "decode", vae::decodeRaw, latents);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }

  private void compare(PrintStream out, AutoencoderKl vae, String pass, Function<NDArray, NDArray> op, NDArray input) {
    vae.setTiling(VaeTiling.OFF);
    NDArray whole = measure(out, pass, VaeTiling.OFF, op, input, null);
    vae.setTiling(tiling);
    measure(out, pass, tiling, op, input, whole);
  }

  /** One pass in its own scope; prints its line and returns its output (detached from the scope). */
  private NDArray measure(PrintStream out, String pass, VaeTiling mode, Function<NDArray, NDArray> op, NDArray input, NDArray whole) {
    NDArray result;
    long before = ResidentMemory.currentBytes();
    ResidentMemory.resetPeak();
    long start = System.nanoTime();
    try (NDScope scope = new NDScope()) {
      result = op.apply(input);
      result.toFloatArray(); // the pass has run when its values are read
      NDScope.unregister(result);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double peak = (ResidentMemory.peakBytes() - before) / MIB;
    String difference = whole == null ? "-" : String.format(Locale.ROOT, "%.3f",
        result.sub(whole).square().mean().sqrt().getFloat() / whole.square().mean().sqrt().getFloat());
    out.printf(Locale.ROOT, "%-7s %-9s %9.1f %10.0f %11s%n", pass, mode, seconds, peak, difference);
    return result;
  }
}
