package dev.urae.model.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.urae.model.tensors.SafeTensorsFile;
import dev.urae.model.tensors.SafeTensorsWriter;
import dev.urae.model.tensors.TensorEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the text features URAE's reference code caches per training item: a safetensors file
 * with {@code caption_feature_t5} [512, 4096] (sequence) and {@code caption_feature_clip}
 * [768] (pooled). Other widths are accepted as long as the ranks are right, so the demo world
 * can cache its own features in the same layout.
 */
public final class UraeCachedFeatures {
  /** Name of the sequence embedding tensor. */
  public static final String T5 = "caption_feature_t5";
  /** Name of the pooled embedding tensor. */
  public static final String CLIP = "caption_feature_clip";
  /** Name of FLUX's text position ids (zeros [L, 3]), written beside the features. */
  public static final String TEXT_IDS = "text_ids";

  private UraeCachedFeatures() {}

  /** Reads {@code file}; float16/bfloat16 features are widened to float32. */
  public static TextEmbedding read(Path file, NDManager manager) throws IOException {
    try (SafeTensorsFile in = SafeTensorsFile.open(file)) {
      for (String name : new String[] {T5, CLIP}) {
        if (!in.contains(name)) throw new IOException(file + ": missing tensor '" + name + "' (URAE cached features need " + T5 + " and " + CLIP + ")");
      }
      TensorEntry t5 = in.entry(T5);
      TensorEntry clip = in.entry(CLIP);
      // Some caches keep a leading batch axis of 1.
      if (squeezedRank(t5) != 2) throw new IOException(file + ": " + T5 + " must be [L, D], got " + t5.shapeText());
      if (squeezedRank(clip) != 1) throw new IOException(file + ": " + CLIP + " must be [D], got " + clip.shapeText());
      NDArray sequence = in.load(T5, manager);
      NDArray pooled = in.load(CLIP, manager);
      if (sequence.getShape().dimension() == 3) sequence = sequence.squeeze(0);
      if (pooled.getShape().dimension() == 2) pooled = pooled.squeeze(0);
      return new TextEmbedding(sequence, pooled);
    }
  }

  /** Writes features in the same layout (for the demo world and tests). */
  public static void write(Path file, TextEmbedding embedding) throws IOException {
    new SafeTensorsWriter().add(T5, embedding.sequence()).add(CLIP, embedding.pooled()).write(file);
  }

  /** Writes features with FLUX's text position ids {@code [L, 3]} and string metadata. */
  public static void write(Path file, TextEmbedding embedding, NDArray textIds, Map<String, String> metadata) throws IOException {
    new SafeTensorsWriter().metadata(metadata).add(T5, embedding.sequence()).add(CLIP, embedding.pooled()).add(TEXT_IDS, textIds).write(file);
  }

  private static int squeezedRank(TensorEntry e) {
    int rank = e.shape().dimension();
    return rank > 0 && e.shape().get(0) == 1 && rank >= 2 ? rank - 1 : rank;
  }
}
