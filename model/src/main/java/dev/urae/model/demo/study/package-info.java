/**
 * The guidelines study on the demo world: Theorem 1's linear toy, and arms (one seed of one
 * condition each) that run through the pipeline's trainer, sampler and metric, persisted one
 * file per arm so a study resumes; sections turn arm results into {@link
 * dev.urae.model.demo.study.Findings} (claim, plots, tables of means with 95% intervals,
 * verdict). Report writing lives in the batch module; this package imports only the model.
 */
package dev.urae.model.demo.study;
