package dev.urae.batch.stages;

import ai.djl.ndarray.NDManager;
import dev.urae.model.codec.LatentPosterior;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.SafeTensorsWriter;
import dev.urae.model.text.FluxTextEncoder;
import dev.urae.model.text.TextEmbedding;
import dev.urae.model.text.UraeCachedFeatures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The features the cache stage stores per item and the adapt stage trains on, in URAE's layout:
 * the VAE posterior of the teacher image ({@code <id>_latents.safetensors}: {@code mean} and
 * {@code std} {@code [C, h, w]}, as URAE's {@code _latent_code.safetensors}, but already in the
 * transformer's latent space: URAE stores the raw posterior and normalises each draw, which is the
 * same distribution since the normalisation is affine), and the T5 and CLIP features of the
 * prompt and of the generated caption, one file each under URAE's tensor names
 * ({@link UraeCachedFeatures}). The
 * names and the format version live here only: the cache stage writes with {@link #writeLatents}
 * and {@link #writeText}, the adapt stage reads with {@link #posterior}, {@link #text} and
 * {@link #prompt}.
 *
 * <p>Every file carries the format version in its metadata; a file of another version (the first
 * format stored identity latents and both captions in one file) is refused with what to do, never
 * misread.
 */
public final class CachedFeatures {
  /** Metadata key of the format version. */
  static final String FORMAT_KEY = "urae.cache.format";
  /** The version this build writes and reads. */
  static final String FORMAT = "2";
  private static final String MEAN = "mean";
  private static final String STD = "std";
  private static final String CODEC = "codec";
  private static final String ITEM = "item";
  private static final String PROMPT = "prompt";

  private CachedFeatures() {}

  /** What a latents file was encoded with and for. */
  public record LatentsInfo(String codecId, String itemId) {}

  /** Writes one item's posterior ({@code [C, h, w]} each) encoded by codec {@code codecId}. */
  public static void writeLatents(Path file, LatentPosterior posterior, String codecId, String itemId) throws IOException {
    new SafeTensorsWriter().metadata(Map.of(FORMAT_KEY, FORMAT, CODEC, codecId, ITEM, itemId))
        .add(MEAN, posterior.mean()).add(STD, posterior.std()).write(file);
  }

  /** The codec and item of a latents file of this format, without loading its tensors. */
  public static LatentsInfo latentsInfo(Path file, String key) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      Map<String, String> metadata = requireFormat(in, key);
      return new LatentsInfo(metadata.getOrDefault(CODEC, "?"), metadata.getOrDefault(ITEM, "?"));
    }
  }

  /** The posterior of a latents file, created in {@code manager}; {@code key} names the file in messages. */
  public static LatentPosterior posterior(Path file, String key, NDManager manager) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      requireFormat(in, key);
      return new LatentPosterior(in.load(MEAN, manager), in.load(STD, manager));
    }
  }

  /** Writes the features of one caption ({@code prompt}) with FLUX's text ids, in URAE's layout. */
  public static void writeText(Path file, String prompt, TextEmbedding features, NDManager manager) throws IOException {
    int length = Math.toIntExact(features.sequence().getShape().get(0));
    UraeCachedFeatures.write(file, features, FluxTextEncoder.textIds(length, manager), Map.of(FORMAT_KEY, FORMAT, PROMPT, prompt));
  }

  /** The caption a text file was encoded from. */
  public static String prompt(Path file, String key) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      return requireFormat(in, key).getOrDefault(PROMPT, "");
    }
  }

  /** The T5 sequence and CLIP pooled features of a text file, created in {@code manager}. */
  public static TextEmbedding text(Path file, String key, NDManager manager) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      requireFormat(in, key);
    }
    return UraeCachedFeatures.read(file, manager);
  }

  private static Map<String, String> requireFormat(SafeTensorsFile in, String key) throws IOException {
    String format = in.metadata().getOrDefault(FORMAT_KEY, "1");
    if (!format.equals(FORMAT)) {
      throw new IOException(key + " is cached features of format " + format + " but this build reads format " + FORMAT
          + " (the posterior and URAE's text layout): launch again with --rerun, which starts a new run whose cache stage encodes afresh");
    }
    return in.metadata();
  }
}
