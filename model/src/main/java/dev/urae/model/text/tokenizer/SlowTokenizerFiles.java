package dev.urae.model.text.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * Turns a checkpoint's "slow" tokenizer files into the {@code tokenizer.json} the HuggingFace
 * tokenizers library reads, with the same pipeline transformers builds from those files, so the
 * token ids are the same:
 *
 * <ul>
 *   <li>CLIP, {@code vocab.json} + {@code merges.txt}: byte-level BPE with CLIP's word suffix
 *       {@code </w>}; NFC, whitespace runs to one space, lower case; CLIP's word-splitting regex;
 *       {@code <|startoftext|> … <|endoftext|>} around every prompt.
 *   <li>T5, {@code spiece.model}: a unigram model over the sentencepiece pieces and scores plus
 *       T5's 100 sentinel tokens {@code <extra_id_99>…<extra_id_0>}; sentencepiece's precompiled
 *       normaliser; whitespace split with {@code ▁} prefixes; {@code </s>} after every prompt.
 * </ul>
 */
public final class SlowTokenizerFiles {
  /** T5's sentinel count (transformers' {@code extra_ids} default). */
  public static final int T5_EXTRA_IDS = 100;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLIP_SPLIT = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

  private SlowTokenizerFiles() {}

  /** CLIP's tokenizer from {@code vocab.json} and {@code merges.txt}, with its bos/eos/unk tokens. */
  public static ObjectNode clipBpe(Path vocabJson, Path mergesTxt, String bos, String eos, String unk) throws IOException {
    JsonNode vocab = readJson(vocabJson);
    if (!vocab.isObject()) throw new IOException(vocabJson + ": expected a JSON object of token → id");
    for (String token : List.of(bos, eos, unk)) {
      if (!vocab.has(token)) throw new IOException(vocabJson + ": the special token '" + token + "' is not in the vocabulary");
    }
    ObjectNode root = header();
    ArrayNode added = root.putArray("added_tokens");
    addSpecial(added, vocab.get(bos).asInt(), bos);
    if (!eos.equals(bos)) addSpecial(added, vocab.get(eos).asInt(), eos);

    ArrayNode normalizers = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
    normalizers.addObject().put("type", "NFC");
    ObjectNode replace = normalizers.addObject().put("type", "Replace");
    replace.putObject("pattern").put("Regex", "\\s+");
    replace.put("content", " ");
    normalizers.addObject().put("type", "Lowercase");

    ArrayNode pre = root.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers");
    ObjectNode split = pre.addObject().put("type", "Split");
    split.putObject("pattern").put("Regex", CLIP_SPLIT);
    split.put("behavior", "Removed").put("invert", true);
    pre.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);

    ObjectNode post = root.putObject("post_processor").put("type", "RobertaProcessing");
    post.putArray("sep").add(eos).add(vocab.get(eos).asInt());
    post.putArray("cls").add(bos).add(vocab.get(bos).asInt());
    post.put("trim_offsets", false).put("add_prefix_space", false);
    root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true).put("use_regex", true);

    ObjectNode model = root.putObject("model").put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", unk).put("continuing_subword_prefix", "").put("end_of_word_suffix", "</w>").put("fuse_unk", false).put("byte_fallback", false);
    model.set("vocab", vocab);
    ArrayNode merges = model.putArray("merges");
    List<String> lines = Files.readAllLines(mergesTxt, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || (i == 0 && line.startsWith("#version"))) continue;
      if (line.trim().split(" ").length != 2) throw new IOException(mergesTxt + ":" + (i + 1) + ": a merge is two tokens separated by one space, got '" + line + "'");
      merges.add(line.trim());
    }
    return root;
  }

  /** T5's tokenizer from {@code spiece.model}. */
  public static ObjectNode t5SentencePiece(Path spieceModel) throws IOException {
    SentencePieceModel spm = SentencePieceModel.read(spieceModel);
    if (spm.modelType() != SentencePieceModel.UNIGRAM) throw new IOException(spieceModel + ": a T5 tokenizer is a unigram model, this one has model type " + spm.modelType());
    if (spm.eosId() < 0 || spm.eosId() >= spm.pieces().size()) throw new IOException(spieceModel + ": no end-of-sequence piece (eos_id " + spm.eosId() + ")");
    return t5Unigram(spm);
  }

  /** T5's tokenizer over a unigram sentencepiece vocabulary. */
  static ObjectNode t5Unigram(SentencePieceModel spm) {
    List<SentencePieceModel.Piece> pieces = spm.pieces();
    ObjectNode root = header();
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < pieces.size(); i++) {
      int type = pieces.get(i).type();
      if (type == SentencePieceModel.CONTROL || type == SentencePieceModel.UNKNOWN) addSpecial(added, i, pieces.get(i).piece());
      else if (type == SentencePieceModel.USER_DEFINED) addToken(added, i, pieces.get(i).piece(), false);
    }
    for (int i = 0; i < T5_EXTRA_IDS; i++) addSpecial(added, pieces.size() + T5_EXTRA_IDS - 1 - i, "<extra_id_" + i + ">");

    if (spm.precompiledCharsmap().length > 0) {
      root.putObject("normalizer").put("type", "Precompiled").put("precompiled_charsmap", Base64.getEncoder().encodeToString(spm.precompiledCharsmap()));
    } else {
      root.putNull("normalizer");
    }
    ArrayNode pre = root.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers");
    pre.addObject().put("type", "WhitespaceSplit");
    pre.addObject().put("type", "Metaspace").put("replacement", "▁").put("prepend_scheme", "always").put("split", true);

    String eos = pieces.get(spm.eosId()).piece();
    ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
    post.putArray("single").add(sequence("A")).add(special(eos));
    post.putArray("pair").add(sequence("A")).add(special(eos)).add(sequence("B")).add(special(eos));
    ObjectNode eosEntry = post.putObject("special_tokens").putObject(eos).put("id", eos);
    eosEntry.putArray("ids").add(spm.eosId());
    eosEntry.putArray("tokens").add(eos);
    root.putObject("decoder").put("type", "Metaspace").put("replacement", "▁").put("prepend_scheme", "always").put("split", true);

    ObjectNode model = root.putObject("model").put("type", "Unigram").put("unk_id", spm.unkId());
    ArrayNode vocab = model.putArray("vocab");
    for (SentencePieceModel.Piece p : pieces) vocab.addArray().add(p.piece()).add(p.score());
    for (int i = T5_EXTRA_IDS - 1; i >= 0; i--) vocab.addArray().add("<extra_id_" + i + ">").add(0.0);
    model.put("byte_fallback", false);
    return root;
  }

  /** The id of {@code token}: from the added tokens, else the model's vocabulary; -1 when absent. */
  public static int idOf(JsonNode tokenizerJson, String token) {
    for (JsonNode t : tokenizerJson.path("added_tokens")) if (token.equals(t.path("content").asText(null))) return t.path("id").asInt();
    JsonNode vocab = tokenizerJson.path("model").path("vocab");
    if (vocab.isObject() && vocab.has(token)) return vocab.get(token).asInt();
    if (vocab.isArray()) {
      int i = 0;
      for (Iterator<JsonNode> it = vocab.elements(); it.hasNext(); i++) if (token.equals(it.next().path(0).asText(null))) return i;
    }
    return -1;
  }

  static JsonNode readJson(Path file) throws IOException {
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  private static ObjectNode header() {
    ObjectNode root = JSON.createObjectNode().put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    return root;
  }

  private static void addSpecial(ArrayNode added, int id, String content) {
    addToken(added, id, content, true);
  }

  private static void addToken(ArrayNode added, int id, String content, boolean special) {
    added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false).put("rstrip", false)
        .put("normalized", !special).put("special", special);
  }

  private static ObjectNode sequence(String id) {
    ObjectNode n = JSON.createObjectNode();
    n.putObject("Sequence").put("id", id).put("type_id", 0);
    return n;
  }

  private static ObjectNode special(String id) {
    ObjectNode n = JSON.createObjectNode();
    n.putObject("SpecialToken").put("id", id).put("type_id", 0);
    return n;
  }
}
