package dev.urae.model.text;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.urae.model.checkpoint.Checkpoint;
import dev.urae.model.text.clip.ClipTextModel;
import dev.urae.model.text.t5.T5Encoder;
import dev.urae.model.text.tokenizer.PromptTokenizer;
import dev.urae.model.text.tokenizer.PromptTokenizer.Family;
import java.io.IOException;
import java.util.List;

/**
 * FLUX's text conditioning as its pipeline computes it: the prompt through CLIP-L
 * ({@code tokenizer/}, {@code text_encoder/}, 77 tokens) for the pooled vector and through T5
 * ({@code tokenizer_2/}, {@code text_encoder_2/}) for the token sequence, both over the padded
 * sequence without an attention mask. The T5 length is 512 for FLUX.1-dev and 256 for
 * FLUX.1-schnell ({@link #t5Length(Checkpoint)}). FLUX's text position ids are all zero
 * ({@link #textIds}).
 */
public final class FluxTextEncoder implements TextEncoder, AutoCloseable {
  /** CLIP's context length, FLUX's CLIP token count. */
  public static final int CLIP_TOKENS = 77;
  /** T5 tokens of FLUX.1-dev (and of diffusers' FluxPipeline by default). */
  public static final int T5_TOKENS_DEV = 512;
  /** T5 tokens of FLUX.1-schnell (BFL's reference), which has no guidance embedder. */
  public static final int T5_TOKENS_SCHNELL = 256;

  private final PromptTokenizer clipTokenizer;
  private final ClipTextModel clip;
  private final PromptTokenizer t5Tokenizer;
  private final T5Encoder t5;

  private FluxTextEncoder(PromptTokenizer clipTokenizer, ClipTextModel clip, PromptTokenizer t5Tokenizer, T5Encoder t5) {
    this.clipTokenizer = clipTokenizer;
    this.clip = clip;
    this.t5Tokenizer = t5Tokenizer;
    this.t5 = t5;
  }

  /**
   * Loads both encoders and tokenizers of a diffusers FLUX checkpoint onto {@code device}.
   *
   * @param t5Tokens tokens per prompt for T5 ({@link #t5Length(Checkpoint)} gives FLUX's choice)
   */
  public static FluxTextEncoder load(Checkpoint checkpoint, int t5Tokens, Device device, NDManager parent) throws IOException {
    PromptTokenizer clipTokenizer = null;
    ClipTextModel clip = null;
    PromptTokenizer t5Tokenizer = null;
    try {
      clipTokenizer = PromptTokenizer.load(checkpoint.component("tokenizer").location(), Family.CLIP, CLIP_TOKENS);
      clip = ClipTextModel.load(checkpoint.component("text_encoder"), device, parent);
      t5Tokenizer = PromptTokenizer.load(checkpoint.component("tokenizer_2").location(), Family.T5, t5Tokens);
      return new FluxTextEncoder(clipTokenizer, clip, t5Tokenizer, T5Encoder.load(checkpoint.component("text_encoder_2"), device, parent));
    } catch (IOException | RuntimeException e) {
      for (AutoCloseable c : new AutoCloseable[] {clipTokenizer, clip, t5Tokenizer}) {
        if (c != null) closeQuietly(c, e);
      }
      throw e;
    }
  }

  /**
   * FLUX's T5 token count for {@code checkpoint}: 256 when its transformer has no guidance
   * embedder (schnell), else 512.
   */
  public static int t5Length(Checkpoint checkpoint) {
    if (!checkpoint.has("transformer")) return T5_TOKENS_DEV;
    try {
      return checkpoint.component("transformer").config().path("guidance_embeds").asBoolean(true) ? T5_TOKENS_DEV : T5_TOKENS_SCHNELL;
    } catch (IOException e) {
      return T5_TOKENS_DEV;
    }
  }

  @Override
  public TextEmbedding encode(String prompt, NDManager manager) {
    NDList batch = encodeBatch(List.of(prompt), manager);
    return new TextEmbedding(batch.get(0).squeeze(0), batch.get(1).squeeze(0));
  }

  /** T5 sequences {@code [B, L, d_model]} and CLIP pooled vectors {@code [B, hidden]} of {@code prompts}. */
  public NDList encodeBatch(List<String> prompts, NDManager manager) {
    NDArray clipIds = ids(clipTokenizer.ids(prompts), manager);
    NDArray t5Ids = ids(t5Tokenizer.ids(prompts), manager);
    NDArray pooled = clip.forward(clipIds).get(1);
    return new NDList(t5.forward(t5Ids), pooled);
  }

  /** FLUX's text position ids: zeros {@code [L, 3]}. */
  public static NDArray textIds(int length, NDManager manager) {
    return manager.zeros(new Shape(length, 3), DataType.FLOAT32);
  }

  @Override
  public int sequenceDim() {
    return t5.config().dModel();
  }

  @Override
  public int pooledDim() {
    return clip.config().hiddenSize();
  }

  @Override
  public int maxLength() {
    return t5Tokenizer.length();
  }

  @Override
  public void close() {
    clipTokenizer.close();
    clip.close();
    t5Tokenizer.close();
    t5.close();
  }

  private static NDArray ids(long[][] rows, NDManager manager) {
    long[] flat = new long[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
    return manager.create(flat, new Shape(rows.length, rows[0].length));
  }

  private static void closeQuietly(AutoCloseable c, Exception primary) {
    try {
      c.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }
}
