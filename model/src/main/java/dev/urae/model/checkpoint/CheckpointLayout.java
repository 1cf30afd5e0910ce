package dev.urae.model.checkpoint;

/** How a checkpoint is laid out on disk. */
public enum CheckpointLayout {
  /** A diffusers pipeline folder: {@code model_index.json} and one sub-folder per component. */
  DIFFUSERS("diffusers pipeline folder (model_index.json)"),
  /** One diffusers/transformers component: a folder with {@code config.json} and weights, or a lone safetensors file in diffusers names. */
  DIFFUSERS_COMPONENT("one diffusers component"),
  /** Black Forest Labs' single transformer file ({@code flux1-dev.safetensors}, {@code flux1-schnell.safetensors}). */
  BFL_TRANSFORMER("Black Forest Labs single-file transformer"),
  /**
   * A folder without {@code model_index.json} holding Black Forest Labs' transformer file, its
   * autoencoder ({@code ae.safetensors}, or a diffusers {@code vae/}) and diffusers text encoder
   * and tokenizer folders, as BFL's repositories ship them beside the single files.
   */
  BFL_FOLDER("Black Forest Labs files with diffusers text encoders (no model_index.json)"),
  /** Black Forest Labs' single autoencoder file ({@code ae.safetensors}, FLUX's VAE). */
  BFL_VAE("Black Forest Labs single-file autoencoder (VAE)");

  private final String description;

  CheckpointLayout(String description) {
    this.description = description;
  }

  /** What the layout is, for people. */
  public String description() {
    return description;
  }
}
