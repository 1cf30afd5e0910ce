/**
 * Whole FLUX.1 checkpoints: the base model a run uses from a local folder ({@link
 * dev.urae.model.pipeline.FluxBaseModelProvider}, its model and {@link
 * dev.urae.model.pipeline.FluxRenderer}), writing a random-weight one in the diffusers layout
 * ({@link dev.urae.model.pipeline.FluxCheckpointInit}), converting BFL's single file to it
 * ({@link dev.urae.model.pipeline.FluxCheckpointConverter}) and describing one from headers
 * alone ({@link dev.urae.model.pipeline.CheckpointInspection}). It sits above the checkpoint
 * reader and the component packages, which do not see each other.
 */
package dev.urae.model.pipeline;
