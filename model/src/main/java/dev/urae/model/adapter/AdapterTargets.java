package dev.urae.model.adapter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which linear layers get an adapter, as module-name patterns where {@code *} stands for a
 * block index. URAE's default is the attention projections: {@code to_q, to_k, to_v,
 * to_out.0} of every double-stream block and {@code to_q, to_k, to_v} of every single-stream
 * block (190 layers on FLUX.1-dev).
 */
public final class AdapterTargets {
  public static final AdapterTargets URAE = new AdapterTargets(List.of(
      "transformer_blocks.*.attn.to_q",
      "transformer_blocks.*.attn.to_k",
      "transformer_blocks.*.attn.to_v",
      "transformer_blocks.*.attn.to_out.0",
      "single_transformer_blocks.*.attn.to_q",
      "single_transformer_blocks.*.attn.to_k",
      "single_transformer_blocks.*.attn.to_v"));

  private final List<String> patterns;
  private final List<Pattern> compiled;

  public AdapterTargets(List<String> patterns) {
    Objects.requireNonNull(patterns, "patterns == null");
    if (patterns.isEmpty()) throw new IllegalArgumentException("targets must name at least one module pattern");
    this.patterns = List.copyOf(patterns);
    this.compiled = new ArrayList<>();
    for (String p : patterns) {
      if (p.isBlank()) throw new IllegalArgumentException("a target pattern is blank");
      compiled.add(Pattern.compile(Pattern.quote(p).replace("*", "\\E[0-9]+\\Q")));
    }
  }

  /** Parses a comma-separated pattern list, or "urae" for the default. */
  public static AdapterTargets parse(String text) {
    if (text == null || text.isBlank() || text.equalsIgnoreCase("urae")) return URAE;
    List<String> patterns = new ArrayList<>();
    for (String p : text.split(",")) if (!p.isBlank()) patterns.add(p.trim());
    return new AdapterTargets(patterns);
  }

  public List<String> patterns() {
    return patterns;
  }

  public boolean matches(String module) {
    for (Pattern p : compiled) if (p.matcher(module).matches()) return true;
    return false;
  }

  /** The matching modules among {@code modules}, in their order. */
  public List<String> select(Collection<String> modules) {
    List<String> selected = new ArrayList<>();
    for (String m : modules) if (matches(m)) selected.add(m);
    return selected;
  }

  @Override
  public String toString() {
    return String.join(",", patterns);
  }
}
