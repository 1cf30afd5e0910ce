package dev.urae.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.urae.model.flux.FluxPresets;
import dev.urae.model.flux.FluxTransformer;
import dev.urae.model.tensors.DType;
import dev.urae.model.tensors.ModelWeights;
import dev.urae.model.tensors.SafeTensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterCommandTest {
  @TempDir Path folder;

  private Path tinyBase() throws Exception {
    Path base = folder.resolve("base.safetensors");
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelWeights.save(FluxTransformer.random(FluxPresets.TINY, 5, manager), base, DType.F32, Map.of());
    }
    return base;
  }

  @Test
  void initExportAndMergeAMinorComponentAdapter() throws Exception {
    // given
    Path base = tinyBase();
    Path adapter = folder.resolve("minor.safetensors");
    Path lora = folder.resolve("lora.safetensors");
    Path merged = folder.resolve("merged.safetensors");

    // when
    int init = UraeMain.execute("adapter", "init", "--kind", "minor", "--rank", "2", "--base", base.toString(), "--out", adapter.toString());
    int export = UraeMain.execute("adapter", "export", "--adapter", adapter.toString(), "--format", "diffusers", "--out", lora.toString());
    int merge = UraeMain.execute("adapter", "merge", "--base", base.toString(), "--adapter", lora.toString(), "--out", merged.toString());

    // then an untrained minor adapter exported and merged leaves the weights as they were
    assertThat(new int[] {init, export, merge}).containsOnly(0);
    try (SafeTensorsFile out = SafeTensorsFile.open(lora); SafeTensorsFile a = SafeTensorsFile.open(base); SafeTensorsFile b = SafeTensorsFile.open(merged)) {
      assertThat(out.names()).hasSize(28).allMatch(n -> n.startsWith("transformer.") && !n.contains("processor") && !n.contains("base_model"));
      assertThat(out.entry("transformer.transformer_blocks.0.attn.to_q.lora_A.weight").shape().getShape()).containsExactly(4, 32);
      float[] before = a.floats("transformer_blocks.1.attn.to_v.weight");
      float[] after = b.floats("transformer_blocks.1.attn.to_v.weight");
      for (int i = 0; i < before.length; i++) assertThat(Math.abs(before[i] - after[i])).isLessThan(1e-5f);
      assertThat(b.names()).containsExactlyElementsOf(a.names());
    }
  }

  @Test
  void aMissingBaseFileIsOneClearErrorWithExitCode1() {
    // when
    int code = UraeMain.execute("adapter", "init", "--kind", "lora", "--rank", "2", "--base", folder.resolve("nope.safetensors").toString(),
        "--out", folder.resolve("a.safetensors").toString());

    // then
    assertThat(code).isEqualTo(1);
    assertThat(Files.exists(folder.resolve("a.safetensors"))).isFalse();
  }

  @Test
  void anUnknownKindIsAUsageError() {
    assertThat(UraeMain.execute("adapter", "init", "--kind", "big", "--rank", "2", "--base", "b", "--out", "o")).isEqualTo(2);
  }
}
