/**
 * Ingest: validates a manifest, writes its accepted items shard by shard, its rejects and a summary
 * ({@link dev.urae.batch.ingest.ManifestItems} alone writes and reads a shard line). Imports
 * {@code manifest}, {@code run} and {@code json}.
 */
package dev.urae.batch.ingest;
