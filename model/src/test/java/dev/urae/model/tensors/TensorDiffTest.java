package dev.urae.model.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorDiffTest {
  @TempDir Path dir;

  @Test
  void reportsLargestDifferenceShapeChangesAndNamesInOneFileOnly() throws Exception {
    // given
    Path a = dir.resolve("a.safetensors");
    Path b = dir.resolve("b.safetensors");
    new SafeTensorsWriter()
        .addFloats("w", new Shape(3), new float[] {1, 2, 3}, DType.F32)
        .addFloats("s", new Shape(2), new float[] {1, 2}, DType.F32)
        .addFloats("old", new Shape(1), new float[] {0}, DType.F32)
        .write(a);
    new SafeTensorsWriter()
        .addFloats("w", new Shape(3), new float[] {1, 2.5f, 2}, DType.BF16)
        .addFloats("s", new Shape(1, 2), new float[] {1, 2}, DType.F32)
        .addFloats("new", new Shape(1), new float[] {0}, DType.F32)
        .write(b);

    // when
    TensorDiff.Report report;
    try (SafeTensorsFile x = SafeTensorsFile.open(a); SafeTensorsFile y = SafeTensorsFile.open(b)) {
      report = TensorDiff.compare(x, y);
    }

    // then
    assertThat(report.shared()).containsExactly(
        new TensorDiff.Shared("w", 1.0, null),
        new TensorDiff.Shared("s", Double.NaN, "shape [2] vs [1, 2]"));
    assertThat(report.onlyInFirst()).containsExactly("old");
    assertThat(report.onlyInSecond()).containsExactly("new");
  }
}
