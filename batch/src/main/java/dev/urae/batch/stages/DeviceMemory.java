package dev.urae.batch.stages;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.util.Locale;
import java.util.Optional;

/**
 * How much memory the device a stage works on has, for the memory plan's check. On CUDA it is
 * the device's own total memory. On CPU memory is shared with the JVM, the OS and other tasks,
 * so there is no fixed size to check against: the check uses a stated budget, {@code
 * URAE_DEVICE_MEMORY} in the environment (or the JVM property {@code urae.device-memory}), and is
 * skipped without one. The same setting, where the run is launched, lets the launch check a run
 * against the fleet's devices before any task runs.
 *
 * @param bytes  the memory the plan must fit in
 * @param source where the figure comes from, for messages
 * @param gpu    whether the device is a GPU (bf16 weights and compute) or the CPU (fp32)
 */
public record DeviceMemory(long bytes, String source, boolean gpu) {
  public static final String PROPERTY = "urae.device-memory";
  public static final String ENVIRONMENT = "URAE_DEVICE_MEMORY";

  /** The memory of {@code device}, or empty on a CPU without a configured budget. */
  public static Optional<DeviceMemory> of(Device device) {
    if (device.isGpu()) {
      return Optional.of(new DeviceMemory(CudaUtils.getGpuMemory(device).getMax(), "the memory of " + device, true));
    }
    return configured().map(bytes -> new DeviceMemory(bytes, ENVIRONMENT, false));
  }

  /** The configured budget, if any; a value that is not a size is refused naming the setting. */
  public static Optional<Long> configured() {
    String text = configuredText();
    return text == null || text.isBlank() ? Optional.empty() : Optional.of(parse(text, ENVIRONMENT + " / " + PROPERTY));
  }

  private static String configuredText() {
    String property = System.getProperty(PROPERTY);
    return property != null ? property : System.getenv(ENVIRONMENT);
  }

  /** "80GiB", "141GB", "512MiB", or plain bytes; {@code setting} names where the text came from. */
  public static long parse(String text, String setting) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    String[][] units = {{"GIB", "1073741824"}, {"MIB", "1048576"}, {"GB", "1000000000"}, {"MB", "1000000"}, {"B", "1"}};
    for (String[] u : units) {
      if (t.endsWith(u[0])) {
        try {
          return (long) (Double.parseDouble(t.substring(0, t.length() - u[0].length()).strip()) * Long.parseLong(u[1]));
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting + " must look like 80GiB, 141GB or 512MiB, got '" + text + "'");
    }
  }

  /** Bytes per frozen weight and per activation element on this device: bf16 on a GPU, fp32 on the CPU. */
  public int elementBytes() {
    return gpu ? 2 : 4;
  }
}
