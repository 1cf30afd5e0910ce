package dev.urae.model.text.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.urae.model.Approx;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.text.TextReferences;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM's CLIP text model against transformers' {@code CLIPTextModel} on tiny random
 * checkpoints: clip_a (5 heads of 6, quick-GELU, legacy eos_token_id 2: pools at the highest
 * id), clip_b (3 heads of 8, exact GELU, eos_token_id 49407, two shards, saved without the
 * text_model. prefix), over the prompt set's padded 77-token ids.
 */
class ClipTextModelTest {
  @ParameterizedTest
  @ValueSource(strings = {"clip_a", "clip_b"})
  void matchesTransformers(String name) throws Exception {
    Path refs = TextReferences.dir();
    try (NDManager manager = NDManager.newBaseManager();
         ClipTextModel model = ClipTextModel.load(TextReferences.component(name), Device.cpu(), manager);
         SafeTensorsFile tokens = SafeTensorsFile.open(refs.resolve("tokens.safetensors"));
         SafeTensorsFile expected = SafeTensorsFile.open(refs.resolve(name + "_expected.safetensors"))) {
      // given the reference ids
      NDArray ids = tokens.load("clip", manager);
      assertThat(ids.getDataType()).isEqualTo(DataType.INT64);

      // when
      NDList out = model.forward(ids);

      // then
      Approx.assertClose(name + " last hidden state", out.get(0), expected.load("last_hidden_state", manager), 1e-4);
      Approx.assertClose(name + " pooled", out.get(1), expected.load("pooled", manager), 1e-4);
    }
  }
}
