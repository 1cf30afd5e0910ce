package dev.urae.model.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.types.Shape;
import dev.urae.model.Python;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written here load with the reference Python {@code safetensors} package and vice
 * versa. Skipped, with the reason in the report, when python3 or the package is missing.
 */
class SafeTensorsPythonInteropTest {
  @TempDir Path dir;

  @Test
  void pythonReadsOurFileAndWeReadPythons() throws Exception {
    assumeTrue(Python.canImport("safetensors, numpy, torch"), "python3 with the safetensors and numpy packages is not importable; interop not checked");

    // given a file written by the JVM
    Path ours = dir.resolve("jvm.safetensors");
    Path theirs = dir.resolve("python.safetensors");
    new SafeTensorsWriter()
        .metadata("written_by", "jvm")
        .addFloats("w", new Shape(2, 3), new float[] {1, 2, 3, 4, 5, 6.5f}, DType.F32)
        .addFloats("h", new Shape(3), new float[] {0.5f, -1f, 2f}, DType.F16)
        .addFloats("b", new Shape(2), new float[] {1.5f, -3f}, DType.BF16)
        .write(ours);

    // when python checks it and writes its own
    String script = String.join("\n",
        "import sys, numpy as np, torch",
        "from safetensors.torch import load_file, save_file",
        "from safetensors import safe_open",
        "t = load_file(sys.argv[1])",
        "assert t['w'].dtype == torch.float32 and t['w'].tolist() == [[1,2,3],[4,5,6.5]], t['w']",
        "assert t['h'].dtype == torch.float16 and t['h'].tolist() == [0.5,-1,2]",
        "assert t['b'].dtype == torch.bfloat16 and t['b'].tolist() == [1.5,-3]",
        "with safe_open(sys.argv[1], 'pt') as f: assert f.metadata() == {'written_by': 'jvm'}, f.metadata()",
        "save_file({'z': torch.arange(6, dtype=torch.float32).reshape(3, 2) / 4, 'n': torch.tensor([1, -2], dtype=torch.int64),",
        "           'g': torch.tensor([0.25, 8], dtype=torch.bfloat16), 'k': torch.tensor([3, 4], dtype=torch.float16)},",
        "          sys.argv[2], metadata={'written_by': 'python'})",
        "print('ok')");
    String output = Python.run(script, ours.toString(), theirs.toString());

    // then
    assertThat(output.trim()).isEqualTo("ok");
    try (SafeTensorsFile in = SafeTensorsFile.open(theirs)) {
      assertThat(in.metadata()).containsEntry("written_by", "python");
      assertThat(in.entry("z").shape()).isEqualTo(new Shape(3, 2));
      assertThat(in.floats("z")).containsExactly(0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f);
      assertThat(in.entry("n").dtype()).isEqualTo(DType.I64);
      assertThat(in.floats("g")).containsExactly(0.25f, 8f);
      assertThat(in.floats("k")).containsExactly(3f, 4f);
    }
  }
}
