package dev.urae.batch.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;
import dev.urae.model.checkpoint.DeviceOption;
import dev.urae.model.nn.AttentionKernel;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code urae doctor}: can this machine (or image) run URAE's models? Loads the PyTorch engine
 * on the device, multiplies two matrices and runs one attention forward there (PyTorch's fused
 * kernel, checked against the explicit one), and prints the device, the CUDA runtime and driver,
 * the libtorch version and the memory. The worker image's smoke test and a user's first check
 * on a new machine.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Check that the PyTorch engine runs on this machine's device: a matmul and one attention forward.",
        "Exit 0 when every check passes, 1 otherwise."})
public final class DoctorCommand implements Callable<Integer> {
  /** Largest difference allowed between results and their references (TF32 on GPUs rounds). */
  static final float TOLERANCE = 1e-2f;

  @Spec CommandSpec spec;

  @Option(names = "--device", paramLabel = "DEVICE",
      description = "cpu, cuda or cuda:N (default: the first GPU when PyTorch sees one, else the CPU).")
  String device;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Engine engine = Engine.getEngine("PyTorch");
    Device target = DeviceOption.parse(device);
    out.printf("device      %s (PyTorch sees %d GPU(s))%n", DeviceOption.name(target), engine.getGpuCount());
    out.printf("libtorch    %s (DJL %s)%n", engine.getVersion(), Engine.getDjlVersion());
    out.printf("CUDA        %s; driver %s%n", CudaUtils.hasCuda() ? CudaUtils.getCudaVersionString() : "none", nvidiaDriver());
    if (target.isGpu()) {
      MemoryUsage gpu = CudaUtils.getGpuMemory(target);
      out.printf("GPU memory  %s used of %s%n", mib(gpu.getUsed()), mib(gpu.getMax()));
    }
    out.printf("memory      host %s, Java heap max %s, processors %d%n",
        mib(hostMemory()), mib(Runtime.getRuntime().maxMemory()), Runtime.getRuntime().availableProcessors());
    boolean ok;
    try (NDManager manager = NDManager.newBaseManager(target, "PyTorch")) {
      ok = matmul(manager, out) & attention(manager, out);
    }
    out.println(ok ? "doctor: ok" : "doctor: FAILED (see the lines above)");
    out.flush();
    return ok ? 0 : 1;
  }

  /** A times the identity must give A back. */
  private static boolean matmul(NDManager manager, PrintWriter out) {
    long start = System.nanoTime();
    NDArray a = manager.randomNormal(new Shape(256, 256));
    float error = a.matMul(manager.eye(256)).sub(a).abs().max().getFloat();
    return verdict(out, "matmul      256x256", error, start);
  }

  /** PyTorch's fused attention must agree with the explicit computation. */
  private static boolean attention(NDManager manager, PrintWriter out) {
    long start = System.nanoTime();
    NDArray qk = manager.randomNormal(new Shape(1, 128, 2, 2, 32)).mul(0.2f);
    NDArray v = manager.randomNormal(new Shape(1, 128, 2, 32));
    NDArray fused = AttentionKernel.FUSED.attend(qk, v);
    float error = fused.sub(AttentionKernel.EXPLICIT.attend(qk, v)).abs().max().getFloat();
    return verdict(out, "attention   128 tokens x 2 heads, fused vs explicit", error, start);
  }

  private static boolean verdict(PrintWriter out, String check, float error, long startNanos) {
    boolean ok = Float.isFinite(error) && error <= TOLERANCE;
    out.printf("%s: %s (max difference %.2e, %d ms)%n", check, ok ? "ok" : "WRONG", error, (System.nanoTime() - startNanos) / 1_000_000);
    return ok;
  }

  private static String nvidiaDriver() {
    Path version = Path.of("/proc/driver/nvidia/version");
    try {
      return Files.isReadable(version) ? Files.readAllLines(version).get(0).replaceAll("\\s+", " ").trim() : "none";
    } catch (Exception e) {
      return "unreadable (" + e.getMessage() + ")";
    }
  }

  private static long hostMemory() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getTotalMemorySize() : -1;
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "unknown" : (bytes >> 20) + " MiB";
  }
}
