/**
 * What the built-in stages share: their options ({@link dev.urae.batch.stages.PipelineOptions},
 * {@link dev.urae.batch.stages.StageParams}), task planning by shard, the item split, scratch
 * files, the base model choice and the records one stage writes and another reads. Each stage
 * lives in its own subpackage, which may import this package but never another stage's.
 */
package dev.urae.batch.stages;
