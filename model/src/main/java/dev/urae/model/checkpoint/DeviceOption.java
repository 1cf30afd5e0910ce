package dev.urae.model.checkpoint;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The {@code --device} option every model component uses: {@code cpu}, {@code cuda} (the first
 * GPU) or {@code cuda:N}; without a value, the first GPU when PyTorch sees one, else the CPU.
 */
public final class DeviceOption {
  private DeviceOption() {}

  /**
   * The device {@code option} names (null or blank: the default).
   *
   * @throws IllegalArgumentException naming the option and what is accepted, or how many GPUs
   *     there are when a GPU is asked for that is not there
   */
  public static Device parse(String option) {
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    if (option == null || option.isBlank()) return gpus > 0 ? Device.gpu(0) : Device.cpu();
    String value = option.trim().toLowerCase(java.util.Locale.ROOT);
    if (value.equals("cpu")) return Device.cpu();
    int index;
    if (value.equals("cuda")) {
      index = 0;
    } else if (value.matches("cuda:\\d{1,3}")) {
      index = Integer.parseInt(value.substring(5));
    } else {
      throw new IllegalArgumentException("device '" + option + "': use cpu, cuda or cuda:N (N = GPU index)");
    }
    if (index >= gpus) {
      throw new IllegalArgumentException("device '" + option + "': PyTorch sees " + gpus + " GPU(s)"
          + (gpus == 0 ? " (no CUDA device or a CPU-only PyTorch native library); use cpu" : "; use cuda:0 to cuda:" + (gpus - 1)));
    }
    return Device.gpu(index);
  }

  /** How the option spells {@code device}: {@code cpu} or {@code cuda:N}. */
  public static String name(Device device) {
    return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
  }
}
