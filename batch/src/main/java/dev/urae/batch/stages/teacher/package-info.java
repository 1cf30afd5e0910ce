/**
 * The teacher stage: planned one task per shard; its handler turns a shard's training items into
 * {@code teacher/<id>.png} and {@code .json} through the teacher a run names (demo, http, dataset).
 * Imports {@code stages}, {@code teacher} and below; no other stage.
 */
package dev.urae.batch.stages.teacher;
