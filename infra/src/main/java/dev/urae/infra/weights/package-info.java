/**
 * Model weights kept somewhere remote (an S3 prefix) and used from a local folder: the listing
 * that names them ({@link dev.urae.infra.weights.WeightsListing}, whose digest is the run's
 * weights identity), the checksum each file is verified against, and the per-instance cache
 * ({@link dev.urae.infra.weights.ModelCache}) that copies them once and hands every later task
 * the same folder. No model code: what a checkpoint must contain is the caller's business.
 */
package dev.urae.infra.weights;
