package dev.urae.model.text.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.urae.model.text.tokenizer.SentencePieceModel.Piece;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small but real tokenizer folders for random checkpoints ({@code urae model init}), since the
 * real vocabularies are not ours to ship: CLIP's byte-level BPE over the 256 byte symbols (with
 * and without the {@code </w>} word end) and no merges, so every character is a token; T5's
 * unigram over {@code <pad>}, {@code </s>}, {@code <unk>}, printable ASCII and word-initial
 * letters, plus the 100 sentinels. Both load in transformers and in {@link PromptTokenizer}, and
 * their ids fit the real vocabulary sizes (49,408 and 32,128).
 */
public final class MinimalTokenizers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MinimalTokenizers() {}

  /** Writes {@code vocab.json}, {@code merges.txt}, {@code tokenizer_config.json} and {@code tokenizer.json}. */
  public static void writeClip(Path folder) throws IOException {
    Files.createDirectories(folder);
    Map<String, Integer> vocab = new LinkedHashMap<>();
    String[] symbols = byteSymbols();
    for (String s : symbols) vocab.put(s, vocab.size());
    for (String s : symbols) vocab.put(s + "</w>", vocab.size());
    vocab.put("<|startoftext|>", vocab.size());
    vocab.put("<|endoftext|>", vocab.size());
    Files.writeString(folder.resolve("vocab.json"), JSON.writeValueAsString(vocab), StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("merges.txt"), "#version: 0.2\n", StandardCharsets.UTF_8);
    ObjectNode config = JSON.createObjectNode().put("tokenizer_class", "CLIPTokenizer").put("model_max_length", 77)
        .put("bos_token", "<|startoftext|>").put("eos_token", "<|endoftext|>").put("unk_token", "<|endoftext|>").put("pad_token", "<|endoftext|>");
    Files.writeString(folder.resolve("tokenizer_config.json"), config.toPrettyString(), StandardCharsets.UTF_8);
    ObjectNode json = SlowTokenizerFiles.clipBpe(folder.resolve("vocab.json"), folder.resolve("merges.txt"), "<|startoftext|>", "<|endoftext|>", "<|endoftext|>");
    Files.writeString(folder.resolve("tokenizer.json"), json.toString(), StandardCharsets.UTF_8);
  }

  /** Writes {@code tokenizer.json} and {@code tokenizer_config.json}. */
  public static void writeT5(Path folder) throws IOException {
    Files.createDirectories(folder);
    List<Piece> pieces = new ArrayList<>(List.of(
        new Piece("<pad>", 0, SentencePieceModel.CONTROL), new Piece("</s>", 0, SentencePieceModel.CONTROL),
        new Piece("<unk>", 0, SentencePieceModel.UNKNOWN), new Piece("▁", -2, SentencePieceModel.NORMAL)));
    for (char c = '!'; c <= '~'; c++) pieces.add(new Piece(String.valueOf(c), -5, SentencePieceModel.NORMAL));
    for (char c = 'a'; c <= 'z'; c++) pieces.add(new Piece("▁" + c, -4, SentencePieceModel.NORMAL));
    SentencePieceModel model = new SentencePieceModel(pieces, SentencePieceModel.UNIGRAM, 2, 1, 0, false, new byte[0]);
    Files.writeString(folder.resolve("tokenizer.json"), SlowTokenizerFiles.t5Unigram(model).toString(), StandardCharsets.UTF_8);
    ObjectNode config = JSON.createObjectNode().put("tokenizer_class", "T5Tokenizer").put("model_max_length", 512)
        .put("eos_token", "</s>").put("unk_token", "<unk>").put("pad_token", "<pad>").put("extra_ids", SlowTokenizerFiles.T5_EXTRA_IDS);
    Files.writeString(folder.resolve("tokenizer_config.json"), config.toPrettyString(), StandardCharsets.UTF_8);
  }

  /** GPT-2/CLIP's printable stand-ins for the 256 byte values, in byte order. */
  private static String[] byteSymbols() {
    String[] out = new String[256];
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      out[b] = String.valueOf((char) (printable ? b : 256 + extra++));
    }
    return out;
  }
}
