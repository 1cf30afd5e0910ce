/**
 * Optimizers for adapter parameters, written over DJL NDArrays: AdamW and Prodigy (Mishchenko
 * and Defazio, 2023) with URAE's settings. Both update parameters in place outside any
 * gradient collector, and both expose their whole state as an {@link
 * dev.urae.model.optim.OptimizerState} so a checkpoint can resume the exact trajectory.
 */
package dev.urae.model.optim;
