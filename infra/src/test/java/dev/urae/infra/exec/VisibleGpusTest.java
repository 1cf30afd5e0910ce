package dev.urae.infra.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class VisibleGpusTest {
  private static final IntSupplier FOUR_DETECTED = () -> 4;
  private static final IntSupplier MUST_NOT_ASK = () -> {
    throw new AssertionError("PyTorch asked although the environment settles it");
  };

  @Test
  void awsBatchReservingNoGpuMeansCpuWithoutAskingPyTorch() {
    assertThat(VisibleGpus.workerDevice(Map.of("NVIDIA_VISIBLE_DEVICES", "void"), MUST_NOT_ASK)).isEqualTo("cpu");
    assertThat(VisibleGpus.workerDevice(Map.of("NVIDIA_VISIBLE_DEVICES", "none"), MUST_NOT_ASK)).isEqualTo("cpu");
    assertThat(VisibleGpus.workerDevice(Map.of("CUDA_VISIBLE_DEVICES", ""), MUST_NOT_ASK)).isEqualTo("cpu");
    assertThat(VisibleGpus.workerDevice(Map.of("CUDA_VISIBLE_DEVICES", "-1"), MUST_NOT_ASK)).isEqualTo("cpu");
  }

  @Test
  void aJobGivenOneGpuRunsOnTheFirstVisibleDevice() {
    // given: AWS Batch reserved one GPU; the runtime shows it to the container as device 0
    Map<String, String> environment = Map.of("NVIDIA_VISIBLE_DEVICES", "GPU-5b1c6d7e-0a0b-4c4d-8e8f-123456789abc");

    // when / then
    assertThat(VisibleGpus.workerDevice(environment, () -> 1)).isEqualTo("cuda:0");
    assertThat(VisibleGpus.count(environment, () -> 1)).isEqualTo(1);
  }

  @Test
  void cudaVisibleDevicesWinsAndStopsAtTheFirstInvalidEntry() {
    assertThat(VisibleGpus.count(Map.of("CUDA_VISIBLE_DEVICES", "2,3", "NVIDIA_VISIBLE_DEVICES", "all"), FOUR_DETECTED)).isEqualTo(2);
    assertThat(VisibleGpus.count(Map.of("CUDA_VISIBLE_DEVICES", "1,-1,3"), FOUR_DETECTED)).isEqualTo(1);
    assertThat(VisibleGpus.devices(Map.of("CUDA_VISIBLE_DEVICES", "0,1,2"), FOUR_DETECTED)).containsExactly("cuda:0", "cuda:1", "cuda:2");
  }

  @Test
  void withoutEitherVariableEveryDetectedGpuIsVisibleAndNoneMeansCpu() {
    assertThat(VisibleGpus.devices(Map.of(), () -> 2)).containsExactly("cuda:0", "cuda:1");
    assertThat(VisibleGpus.devices(Map.of("NVIDIA_VISIBLE_DEVICES", "all"), () -> 0)).isEmpty();
    assertThat(VisibleGpus.workerDevice(Map.of(), () -> 0)).isEqualTo("cpu");
    assertThat(VisibleGpus.count(Map.of("CUDA_VISIBLE_DEVICES", "0,1,2,3,4,5"), () -> 2)).as("listed but absent").isEqualTo(2);
  }

  @Test
  void anExplicitDeviceWinsAndIsChecked() {
    assertThat(VisibleGpus.workerDevice(Map.of("URAE_DEVICE", "CPU", "NVIDIA_VISIBLE_DEVICES", "GPU-1"), MUST_NOT_ASK)).isEqualTo("cpu");
    assertThat(VisibleGpus.workerDevice(Map.of("URAE_DEVICE", "cuda"), MUST_NOT_ASK)).isEqualTo("cuda:0");
    assertThatThrownBy(() -> VisibleGpus.workerDevice(Map.of("URAE_DEVICE", "gpu0"), MUST_NOT_ASK))
        .hasMessage("URAE_DEVICE='gpu0': use cpu, cuda or cuda:N");
  }
}
