package dev.urae.model.svd.bench;

import dev.urae.model.svd.LapackSvd;
import dev.urae.model.svd.SingularTriplets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code urae bench svd}: a size×size float32 SVD through LAPACK sgesdd, printed beside
 * {@code torch.linalg.svd} on the same shape when python3 can import torch. The figure of
 * merit is the ratio of the two medians (target ≤ 1.2).
 */
public final class SvdBenchmark {
  private final int size;
  private final int repeats;

  public SvdBenchmark(int size, int repeats) {
    if (size < 2) throw new IllegalArgumentException("size must be at least 2, was " + size);
    if (repeats < 1) throw new IllegalArgumentException("repeats must be at least 1, was " + repeats);
    this.size = size;
    this.repeats = repeats;
  }

  /** Runs both sides and prints a small table; returns the OpenBLAS median in milliseconds. */
  public double run(PrintStream out) {
    int threads = LapackSvd.threads();
    out.printf(Locale.ROOT, "svd %dx%d float32, %d repeat(s), %d core(s), OPENBLAS_CORETYPE=%s, OpenBLAS threads=%s%n",
        size, size, repeats, Runtime.getRuntime().availableProcessors(),
        System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(unset)"), threads > 0 ? Integer.toString(threads) : "default (one per core)");
    float[] matrix = gaussian(size, 42);
    LapackSvd.decompose(gaussian(64, 1), 64, 64); // load natives outside the timing
    double[] ms = new double[repeats];
    double residual = 0;
    for (int i = 0; i < repeats; i++) {
      long start = System.nanoTime();
      SingularTriplets svd = LapackSvd.decompose(matrix, size, size);
      ms[i] = (System.nanoTime() - start) / 1e6;
      if (i == 0) residual = relativeResidual(matrix, svd);
    }
    double lapack = median(ms);
    out.printf(Locale.ROOT, "  openblas sgesdd   median %9.1f ms   (relative residual ||A-USVt||/||A|| = %.2e)%n", lapack, residual);
    double torch = torchMedianMs(out);
    if (torch > 0) {
      out.printf(Locale.ROOT, "  torch.linalg.svd  median %9.1f ms%n", torch);
      out.printf(Locale.ROOT, "  ratio openblas/torch = %.2f (target <= 1.20)%n", lapack / torch);
    }
    return lapack;
  }

  private double torchMedianMs(PrintStream out) {
    String script = String.join("\n",
        "import time, statistics, torch",
        "torch.manual_seed(42)",
        "a = torch.randn(" + size + ", " + size + ", dtype=torch.float32)",
        "torch.linalg.svd(torch.randn(64, 64), full_matrices=False)",
        "t = []",
        "for _ in range(" + repeats + "):",
        "    s = time.perf_counter(); torch.linalg.svd(a, full_matrices=False); t.append((time.perf_counter() - s) * 1000)",
        "print(statistics.median(t), torch.__version__, torch.get_num_threads())");
    try {
      Process python = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
      if (!python.waitFor(300L * repeats + 120, TimeUnit.SECONDS)) {
        python.destroyForcibly();
        out.println("  torch.linalg.svd  timed out; no comparison");
        return -1;
      }
      String text = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (python.exitValue() != 0) {
        out.println("  torch.linalg.svd  not available (python3 could not import torch); no comparison");
        return -1;
      }
      String[] parts = text.split("\\s+");
      out.printf(Locale.ROOT, "  (torch %s, %s thread(s))%n", parts[1], parts[2]);
      return Double.parseDouble(parts[0]);
    } catch (IOException e) {
      out.println("  torch.linalg.svd  not available (no python3 on PATH); no comparison");
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static float[] gaussian(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n * n];
    for (int i = 0; i < values.length; i++) values[i] = (float) gaussian(random);
    return values;
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** ||A − U·S·Vᵀ||_F / ||A||_F on a sample of rows, so the check stays cheap. */
  private static double relativeResidual(float[] a, SingularTriplets svd) {
    int n = svd.rows();
    int m = svd.cols();
    int k = svd.rank();
    float[] u = svd.u();
    float[] s = svd.s();
    float[] vt = svd.vt();
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i += Math.max(1, n / 64)) {
      for (int j = 0; j < m; j++) {
        double sum = 0;
        for (int p = 0; p < k; p++) sum += (double) u[i * k + p] * s[p] * vt[p * m + j];
        double d = a[i * m + j] - sum;
        num += d * d;
        den += (double) a[i * m + j] * a[i * m + j];
      }
    }
    return Math.sqrt(num / den);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
