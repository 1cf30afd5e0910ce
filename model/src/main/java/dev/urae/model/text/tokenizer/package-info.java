/**
 * Tokenizers for FLUX's text encoders on HuggingFace's tokenizers library (through DJL):
 * fixed-length prompts as the FLUX pipeline pads and truncates them, and the conversion of
 * CLIP's {@code vocab.json} + {@code merges.txt} and T5's {@code spiece.model} into the
 * {@code tokenizer.json} that library reads.
 */
package dev.urae.model.text.tokenizer;
