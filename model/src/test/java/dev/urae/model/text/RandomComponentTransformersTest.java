package dev.urae.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.urae.model.Python;
import dev.urae.model.component.RandomComponent;
import dev.urae.model.tensors.DType;
import dev.urae.model.text.clip.ClipTextConfig;
import dev.urae.model.text.t5.T5Config;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random text encoders written by the JVM load in transformers with no missing or unexpected key. */
class RandomComponentTransformersTest {
  @TempDir Path dir;

  @Test
  void transformersLoadsOurRandomClipAndT5() throws Exception {
    assumeTrue(Python.canImport(TextReferences.MODULES), "python3 cannot import " + TextReferences.MODULES + "; transformers loading not checked");
    // given tiny random encoders in bf16, the T5 in shards
    RandomComponent.write(ClipTextConfig.TINY, dir.resolve("text_encoder"), 1, DType.BF16);
    RandomComponent.write(T5Config.TINY, dir.resolve("text_encoder_2"), 2, DType.BF16, 200_000);

    // when transformers loads them and runs a forward pass
    String output = Python.runFile(Path.of("src", "test", "python", "text_references.py"), 300, "--check-init",
        dir.resolve("text_encoder").toString(), dir.resolve("text_encoder_2").toString());

    // then
    assertThat(output.trim()).endsWith("ok");
  }
}
