package dev.urae.model.text.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A text encoder's tokenizer as the FLUX pipeline calls it: special tokens added, truncated to
 * a fixed length (the special tokens keep their place), then padded to exactly that length with
 * the pad token ({@code padding="max_length", truncation=True}). Runs HuggingFace's tokenizers
 * library (Rust, through DJL) on the folder's {@code tokenizer.json}; a folder with only the
 * slow tokenizer's files is converted first ({@link SlowTokenizerFiles}). The pad token comes
 * from {@code tokenizer_config.json} or {@code special_tokens_map.json}, else the family's
 * default (CLIP: {@code <|endoftext|>}, as FLUX's tokenizer pads; T5: {@code <pad>}).
 */
public final class PromptTokenizer implements AutoCloseable {
  /** The two tokenizer families FLUX uses, with their default special tokens. */
  public enum Family {
    CLIP("<|startoftext|>", "<|endoftext|>", "<|endoftext|>", "<|endoftext|>"),
    T5(null, "</s>", "<unk>", "<pad>");

    final String bos;
    final String eos;
    final String unk;
    final String pad;

    Family(String bos, String eos, String unk, String pad) {
      this.bos = bos;
      this.eos = eos;
      this.unk = unk;
      this.pad = pad;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HuggingFaceTokenizer tokenizer;
  private final int length;
  private final long padId;
  private final String source;

  private PromptTokenizer(HuggingFaceTokenizer tokenizer, int length, long padId, String source) {
    this.tokenizer = tokenizer;
    this.length = length;
    this.padId = padId;
    this.source = source;
  }

  /**
   * The tokenizer in {@code folder} producing exactly {@code length} ids per prompt.
   *
   * @throws IOException naming the folder and the files it would need when none is usable
   */
  public static PromptTokenizer load(Path folder, Family family, int length) throws IOException {
    if (length < 2) throw new IllegalArgumentException("length must be at least 2 (room for the special tokens), got " + length);
    Map<String, String> special = specialTokens(folder);
    JsonNode json;
    String source;
    if (Files.isRegularFile(folder.resolve("tokenizer.json"))) {
      json = SlowTokenizerFiles.readJson(folder.resolve("tokenizer.json"));
      source = folder.resolve("tokenizer.json").toString();
    } else if (family == Family.CLIP && Files.isRegularFile(folder.resolve("vocab.json")) && Files.isRegularFile(folder.resolve("merges.txt"))) {
      json = SlowTokenizerFiles.clipBpe(folder.resolve("vocab.json"), folder.resolve("merges.txt"),
          special.getOrDefault("bos_token", family.bos), special.getOrDefault("eos_token", family.eos), special.getOrDefault("unk_token", family.unk));
      source = folder + "/{vocab.json, merges.txt}";
    } else if (family == Family.T5 && Files.isRegularFile(folder.resolve("spiece.model"))) {
      json = SlowTokenizerFiles.t5SentencePiece(folder.resolve("spiece.model"));
      source = folder.resolve("spiece.model").toString();
    } else {
      String needs = family == Family.CLIP ? "tokenizer.json, or vocab.json and merges.txt" : "tokenizer.json or spiece.model";
      throw new IOException(folder + ": missing tokenizer files: a " + family + " tokenizer needs " + needs + " (found " + list(folder) + ")");
    }
    String pad = special.getOrDefault("pad_token", family.pad);
    int padId = SlowTokenizerFiles.idOf(json, pad);
    if (padId < 0) throw new IOException(source + ": the pad token '" + pad + "' is not in the vocabulary");
    Map<String, String> options = Map.of("addSpecialTokens", "true", "truncation", "true", "maxLength", Integer.toString(length), "padding", "false");
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(JSON.writeValueAsBytes(json)), options);
    } catch (RuntimeException e) {
      throw new IOException(source + ": the tokenizers library cannot read it: " + e.getMessage(), e);
    }
    return new PromptTokenizer(tokenizer, length, padId, source);
  }

  /** The ids of {@code prompt}: exactly {@link #length()} of them. */
  public long[] ids(String prompt) {
    Encoding encoding = tokenizer.encode(prompt);
    long[] ids = encoding.getIds();
    long[] out = Arrays.copyOf(ids, length);
    if (ids.length < length) Arrays.fill(out, ids.length, length, padId);
    return out;
  }

  /** The ids of every prompt, {@code [prompts.size()][length]}. */
  public long[][] ids(List<String> prompts) {
    long[][] out = new long[prompts.size()][];
    for (int i = 0; i < out.length; i++) out[i] = ids(prompts.get(i));
    return out;
  }

  /** Ids per prompt. */
  public int length() {
    return length;
  }

  /** The pad token's id. */
  public long padId() {
    return padId;
  }

  /** What the tokenizer was built from (a file, or the slow files it was converted from). */
  public String source() {
    return source;
  }

  /** Special tokens named by tokenizer_config.json, then special_tokens_map.json (strings or {"content": …}). */
  private static Map<String, String> specialTokens(Path folder) throws IOException {
    Map<String, String> out = new java.util.HashMap<>();
    for (String file : List.of("special_tokens_map.json", "tokenizer_config.json")) {
      Path path = folder.resolve(file);
      if (!Files.isRegularFile(path)) continue;
      JsonNode root = SlowTokenizerFiles.readJson(path);
      for (String key : List.of("bos_token", "eos_token", "unk_token", "pad_token")) {
        JsonNode v = root.get(key);
        if (v != null && v.isTextual()) out.put(key, v.asText());
        else if (v != null && v.path("content").isTextual()) out.put(key, v.get("content").asText());
      }
    }
    return out;
  }

  private static List<String> list(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) return List.of();
    try (var files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
