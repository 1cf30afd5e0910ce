package dev.urae.model.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A fixed word vocabulary: lower-cased word tokens split at anything that is not a letter or a
 * digit, with {@code <pad>} (id 0) and {@code <unk>} (id 1) reserved. Token ids are the index
 * in {@link #words()}.
 */
public final class Vocabulary {
  public static final String PAD = "<pad>";
  public static final String UNK = "<unk>";
  public static final int PAD_ID = 0;
  public static final int UNK_ID = 1;
  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

  private final List<String> words;
  private final Map<String, Integer> ids;

  private Vocabulary(List<String> words) {
    this.words = Collections.unmodifiableList(words);
    Map<String, Integer> map = new HashMap<>();
    for (int i = 0; i < words.size(); i++) map.put(words.get(i), i);
    this.ids = map;
  }

  /**
   * A vocabulary over {@code words} (lower-cased, duplicates and the reserved tokens dropped),
   * in the order given, after {@code <pad>} and {@code <unk>}.
   */
  public static Vocabulary of(List<String> words) {
    List<String> all = new ArrayList<>(List.of(PAD, UNK));
    for (String w : words) {
      String word = w.toLowerCase(Locale.ROOT);
      if (word.isBlank() || SEPARATORS.matcher(word).find() || all.contains(word)) continue;
      all.add(word);
    }
    return new Vocabulary(all);
  }

  /** Every token, ids in order. */
  public List<String> words() {
    return words;
  }

  /** Number of tokens, reserved ones included. */
  public int size() {
    return words.size();
  }

  /** The lower-cased word tokens of {@code text}. */
  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    for (String w : SEPARATORS.split(text.toLowerCase(Locale.ROOT))) if (!w.isEmpty()) out.add(w);
    return out;
  }

  /** Token ids of {@code text}, truncated or padded with {@code <pad>} to {@code maxLength}. */
  public long[] encode(String text, int maxLength) {
    long[] out = new long[maxLength];
    List<String> tokens = split(text);
    for (int i = 0; i < maxLength && i < tokens.size(); i++) out[i] = ids.getOrDefault(tokens.get(i), UNK_ID);
    return out;
  }
}
