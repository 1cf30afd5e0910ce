package dev.urae.batch.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.SafeTensorsWriter;
import dev.urae.model.text.TextEmbedding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The features the cache stage stores per item and the adapt stage trains on, as safetensors:
 * the image latents ({@code <id>_latents.safetensors}) and the text features of the prompt and of
 * the generated caption ({@code <id>_text.safetensors}). The tensor and metadata names live here
 * only: the cache stage writes with {@link #writeLatents} and {@link #writeText}, the adapt stage
 * reads with {@link #latents}, {@link #captions} and {@link #text}.
 */
public final class CachedFeatures {
  private static final String LATENTS = "latents";
  private static final String PROMPT = "prompt";
  private static final String GENERATED_PROMPT = "generated_prompt";

  private CachedFeatures() {}

  /** The short prompt and the generated caption a text file was encoded from. */
  public record Captions(String prompt, String generatedPrompt) {}

  public static void writeLatents(Path file, NDArray latents, String codecId, String itemId) throws IOException {
    new SafeTensorsWriter().metadata(Map.of("codec", codecId, "item", itemId)).add(LATENTS, latents).write(file);
  }

  public static void writeText(Path file, Captions captions, TextEmbedding prompt, TextEmbedding caption) throws IOException {
    new SafeTensorsWriter().metadata(Map.of(PROMPT, captions.prompt(), GENERATED_PROMPT, captions.generatedPrompt()))
        .add(tensor(false, "sequence"), prompt.sequence()).add(tensor(false, "pooled"), prompt.pooled())
        .add(tensor(true, "sequence"), caption.sequence()).add(tensor(true, "pooled"), caption.pooled())
        .write(file);
  }

  public static NDArray latents(Path file, NDManager manager) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      return in.load(LATENTS, manager);
    }
  }

  /** The captions of a text file; {@code fallback} stands in for a prompt the file does not record. */
  public static Captions captions(Path file, String fallback) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      String prompt = in.metadata().getOrDefault(PROMPT, fallback);
      return new Captions(prompt, in.metadata().getOrDefault(GENERATED_PROMPT, prompt));
    }
  }

  /** The text features of the generated caption ({@code generated}) or of the short prompt. */
  public static TextEmbedding text(Path file, boolean generated, NDManager manager) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      return new TextEmbedding(in.load(tensor(generated, "sequence"), manager), in.load(tensor(generated, "pooled"), manager));
    }
  }

  private static String tensor(boolean generated, String part) {
    return (generated ? "caption" : "prompt") + "_" + part;
  }
}
