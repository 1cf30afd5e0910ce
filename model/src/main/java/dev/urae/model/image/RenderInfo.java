package dev.urae.model.image;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What produced a render, stored in its PNG text chunks {@code prompt}, {@code seed},
 * {@code steps}, {@code guidance}, {@code model} (the run's model option: {@code demo}, a folder or
 * an {@code s3://} prefix), {@code weights} (the digest of the weights that rendered it, which
 * names them wherever they were loaded from) and {@code adapter}; the last two may be absent.
 */
public record RenderInfo(String prompt, long seed, int steps, double guidance, String model, String weights, String adapter) {
  public static final String PROMPT = "prompt";
  public static final String SEED = "seed";
  public static final String STEPS = "steps";
  public static final String GUIDANCE = "guidance";
  public static final String MODEL = "model";
  public static final String WEIGHTS = "weights";
  public static final String ADAPTER = "adapter";

  public RenderInfo {
    Objects.requireNonNull(prompt, "prompt == null");
    Objects.requireNonNull(model, "model == null");
  }

  /** The text chunks, in a fixed order; {@code weights} and {@code adapter} only when set. */
  public Map<String, String> toText() {
    Map<String, String> text = new LinkedHashMap<>();
    text.put(PROMPT, prompt);
    text.put(SEED, Long.toString(seed));
    text.put(STEPS, Integer.toString(steps));
    text.put(GUIDANCE, Double.toString(guidance));
    text.put(MODEL, model);
    if (weights != null) text.put(WEIGHTS, weights);
    if (adapter != null) text.put(ADAPTER, adapter);
    return text;
  }

  /** Parses chunks written by {@link #toText()}; names the missing or malformed chunk. */
  public static RenderInfo fromText(Map<String, String> text) {
    for (String key : new String[] {PROMPT, SEED, STEPS, GUIDANCE, MODEL}) {
      if (!text.containsKey(key)) throw new IllegalArgumentException("PNG text chunk '" + key + "' is missing");
    }
    try {
      return new RenderInfo(text.get(PROMPT), Long.parseLong(text.get(SEED)), Integer.parseInt(text.get(STEPS)),
          Double.parseDouble(text.get(GUIDANCE)), text.get(MODEL), text.get(WEIGHTS), text.get(ADAPTER));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("PNG text chunks seed/steps/guidance must be numbers: " + e.getMessage(), e);
    }
  }
}
