package dev.urae.infra.exec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

/**
 * The GPUs a process may use, as its environment says, and the device a worker runs on.
 *
 * <p>Read in order: {@code URAE_DEVICE} ({@code cpu}, {@code cuda}, {@code cuda:N}: an explicit
 * choice wins); {@code CUDA_VISIBLE_DEVICES} (a comma-separated list; CUDA ignores everything from
 * the first invalid entry such as {@code -1}, so blank or {@code -1} means none);
 * {@code NVIDIA_VISIBLE_DEVICES} (set by the container runtime: on AWS Batch to the GPUs reserved
 * for the job, {@code void} or {@code none} when it reserved none, {@code all}); without either,
 * every GPU PyTorch detects. Inside a container the visible GPUs are numbered from 0, so a
 * worker with any GPU runs on {@code cuda:0}. The detected count is asked for only when the
 * environment does not settle the answer, so CPU-only stages never initialise CUDA.
 */
public final class VisibleGpus {
  public static final String DEVICE_VARIABLE = "URAE_DEVICE";
  public static final String CPU = "cpu";

  private VisibleGpus() {}

  /** How many GPUs this process may use; {@code detected} is PyTorch's count, asked only when needed. */
  public static int count(Map<String, String> environment, IntSupplier detected) {
    String cuda = environment.get("CUDA_VISIBLE_DEVICES");
    if (cuda != null) return Math.min(validEntries(cuda), detectedOr(detected, cuda));
    String nvidia = environment.get("NVIDIA_VISIBLE_DEVICES");
    if (nvidia != null) {
      String value = nvidia.trim().toLowerCase(Locale.ROOT);
      if (value.isEmpty() || value.equals("void") || value.equals("none")) return 0;
      if (value.equals("all")) return detected.getAsInt();
      return Math.min(entries(value).size(), detected.getAsInt());
    }
    return detected.getAsInt();
  }

  /** The devices the local executor hands out to GPU tasks, one task per device: {@code cuda:0 .. cuda:n-1}. */
  public static List<String> devices(Map<String, String> environment, IntSupplier detected) {
    return IntStream.range(0, count(environment, detected)).mapToObj(i -> "cuda:" + i).toList();
  }

  /** The device a worker process (one task, e.g. an AWS Batch job) runs on: {@code cpu} or {@code cuda:N}. */
  public static String workerDevice(Map<String, String> environment, IntSupplier detected) {
    String explicit = environment.get(DEVICE_VARIABLE);
    if (explicit != null && !explicit.isBlank()) {
      String value = explicit.trim().toLowerCase(Locale.ROOT);
      if (!value.equals(CPU) && !value.equals("cuda") && !value.matches("cuda:\\d{1,3}")) {
        throw new IllegalArgumentException(DEVICE_VARIABLE + "='" + explicit + "': use cpu, cuda or cuda:N");
      }
      return value.equals("cuda") ? "cuda:0" : value;
    }
    return count(environment, detected) > 0 ? "cuda:0" : CPU;
  }

  private static int detectedOr(IntSupplier detected, String cuda) {
    return validEntries(cuda) == 0 ? 0 : detected.getAsInt();
  }

  /** CUDA uses the entries before the first invalid one (a negative index, say). */
  private static int validEntries(String list) {
    int valid = 0;
    for (String entry : entries(list)) {
      if (entry.startsWith("-") || entry.equalsIgnoreCase("nodevfiles")) break;
      valid++;
    }
    return valid;
  }

  private static List<String> entries(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
  }
}
