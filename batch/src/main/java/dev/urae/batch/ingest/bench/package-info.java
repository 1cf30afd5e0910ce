/**
 * {@code urae bench manifest}: measures ingest throughput and memory and prints the figures.
 * Imports {@code ingest}, {@code manifest} and {@code run}.
 */
package dev.urae.batch.ingest.bench;
