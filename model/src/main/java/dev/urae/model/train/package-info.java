/**
 * Flow-matching training of adapter parameters (the base model frozen), with URAE's settings:
 * guidance input fixed (default 1.0), {@code real_prompt_ratio} between the short prompt and
 * the detailed {@code generated_prompt}, gradient clipping at 1.0, a constant learning rate,
 * AdamW or Prodigy. Checkpoints go through the {@link dev.urae.model.train.CheckpointStore}
 * port and carry everything needed to continue the exact trajectory: adapter, optimizer
 * state, step, and the state of every random generator. A {@link
 * dev.urae.model.train.TrainingStop} lets a shutdown hook (SIGTERM on a spot reclaim) ask
 * for a final checkpoint before the process exits.
 */
package dev.urae.model.train;
