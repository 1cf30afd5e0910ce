package dev.urae.model.text.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.Approx;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.text.TextReferences;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM's T5 encoder against transformers' {@code T5EncoderModel} on tiny random checkpoints:
 * t5_a (3 heads of 8 over d_model 32, 32 buckets up to 128), t5_b (5 heads of 4 over d_model 20,
 * 16 buckets up to 20, four shards), over the prompt set's padded ids without attention mask.
 */
class T5EncoderTest {
  @ParameterizedTest
  @ValueSource(strings = {"t5_a", "t5_b"})
  void matchesTransformers(String name) throws Exception {
    Path refs = TextReferences.dir();
    try (NDManager manager = NDManager.newBaseManager();
         T5Encoder encoder = T5Encoder.load(TextReferences.component(name), Device.cpu(), manager);
         SafeTensorsFile tokens = SafeTensorsFile.open(refs.resolve("tokens.safetensors"));
         SafeTensorsFile expected = SafeTensorsFile.open(refs.resolve(name + "_expected.safetensors"))) {
      Approx.assertClose(name, encoder.forward(tokens.load("t5", manager)), expected.load("last_hidden_state", manager), 1e-4);
    }
  }

  @Test
  void scriptedBlocksEncodeAsTheOperatorOracleDoes() throws Exception {
    // given one checkpoint loaded twice, once per block path, and the prompt set's ids
    try (NDManager manager = NDManager.newBaseManager();
         T5Encoder scripted = T5Encoder.load(TextReferences.component("t5_a"), Device.cpu(), manager, T5Encoder.BlockPath.SCRIPTED);
         T5Encoder operators = T5Encoder.load(TextReferences.component("t5_a"), Device.cpu(), manager, T5Encoder.BlockPath.OPERATORS);
         SafeTensorsFile tokens = SafeTensorsFile.open(TextReferences.dir().resolve("tokens.safetensors"))) {
      NDArray ids = tokens.load("t5", manager);

      // when both encode, then the last hidden states agree within 1e-4 relative
      Approx.assertClose("scripted vs operators", scripted.forward(ids), operators.forward(ids), 1e-4);
    }
  }

  @Test
  void relativePositionBucketsEqualTransformersForEveryDistanceUpTo600() throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
         SafeTensorsFile file = SafeTensorsFile.open(TextReferences.dir().resolve("t5_buckets.safetensors"))) {
      long[] distances = file.load("distances", manager).toLongArray();
      for (int[] config : new int[][] {{32, 128}, {16, 20}}) {
        long[] expected = file.load("buckets_" + config[0] + "_" + config[1], manager).toLongArray();
        for (int i = 0; i < distances.length; i++) {
          assertThat(T5Encoder.bucket((int) distances[i], config[0], config[1])).as("distance %d, config %s", distances[i], config[0] + "/" + config[1]).isEqualTo((int) expected[i]);
        }
      }
    }
  }
}
