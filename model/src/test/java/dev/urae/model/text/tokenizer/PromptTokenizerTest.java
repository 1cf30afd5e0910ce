package dev.urae.model.text.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.text.TextReferences;
import dev.urae.model.text.tokenizer.PromptTokenizer.Family;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token ids equal transformers' for the prompt set (punctuation, Unicode, a prompt far over the
 * length, empty and whitespace-only prompts), from tokenizer.json and from the slow files alone.
 */
class PromptTokenizerTest {
  @TempDir Path dir;

  @Test
  void clipIdsEqualTransformersFromTokenizerJsonAndFromVocabAndMerges() throws Exception {
    Path refs = TextReferences.dir();
    long[][] expected = expected(refs, "clip");
    for (String folder : List.of("clip_tokenizer", "clip_tokenizer_slow")) {
      try (PromptTokenizer tokenizer = PromptTokenizer.load(refs.resolve(folder), Family.CLIP, 77)) {
        assertIdsEqual(folder, tokenizer, expected);
      }
    }
  }

  @Test
  void t5IdsEqualTransformersFromTokenizerJsonAndFromSpieceModel() throws Exception {
    Path refs = TextReferences.dir();
    long[][] expected = expected(refs, "t5");
    for (String folder : List.of("t5_tokenizer", "t5_tokenizer_slow")) {
      try (PromptTokenizer tokenizer = PromptTokenizer.load(refs.resolve(folder), Family.T5, TextReferences.t5Length())) {
        assertIdsEqual(folder, tokenizer, expected);
      }
    }
  }

  @Test
  void aFolderWithoutTokenizerFilesSaysWhatItNeeds() throws Exception {
    // given a CLIP tokenizer folder with only vocab.json
    Files.writeString(dir.resolve("vocab.json"), "{}");

    // when / then
    assertThatThrownBy(() -> PromptTokenizer.load(dir, Family.CLIP, 77))
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("a CLIP tokenizer needs tokenizer.json, or vocab.json and merges.txt (found [vocab.json])");
    assertThatThrownBy(() -> PromptTokenizer.load(dir, Family.T5, 512))
        .hasMessageContaining("a T5 tokenizer needs tokenizer.json or spiece.model");
  }

  private static void assertIdsEqual(String folder, PromptTokenizer tokenizer, long[][] expected) throws Exception {
    List<String> prompts = TextReferences.prompts();
    for (int i = 0; i < prompts.size(); i++) {
      assertThat(tokenizer.ids(prompts.get(i))).as("%s, prompt %d: '%s'", folder, i, prompts.get(i)).containsExactly(expected[i]);
    }
  }

  private static long[][] expected(Path refs, String name) throws Exception {
    try (SafeTensorsFile file = SafeTensorsFile.open(refs.resolve("tokens.safetensors"))) {
      long[] flat = new long[(int) file.entry(name).shape().size()];
      file.bytes(name).asLongBuffer().get(flat);
      int rows = (int) file.entry(name).shape().get(0);
      int length = flat.length / rows;
      long[][] out = new long[rows][];
      for (int r = 0; r < rows; r++) out[r] = java.util.Arrays.copyOfRange(flat, r * length, (r + 1) * length);
      return out;
    }
  }
}
