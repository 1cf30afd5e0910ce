/**
 * CLIP's text tower as FLUX uses it (transformers' {@code CLIPTextModel}: causal pre-norm
 * transformer, quick-GELU, final layer norm, pooled output at the end-of-text token, 77 tokens):
 * its configuration and its forward pass on DJL, loaded by diffusers/transformers parameter name.
 */
package dev.urae.model.text.clip;
