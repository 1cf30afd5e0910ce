/**
 * The teacher port: where the synthetic (or real) high-resolution training images come from.
 *
 * <p>A {@link dev.urae.batch.teacher.Teacher} turns one {@link dev.urae.batch.teacher.TeacherRequest}
 * (item id, prompt, seed, size) into either a {@link dev.urae.batch.teacher.TeacherImage} (PNG
 * bytes at a size that is a multiple of 16, plus an optional caption) or a
 * {@link dev.urae.batch.teacher.Refusal}. A refusal (content moderation, an unusable dataset
 * image) is an answer about one item, recorded and skipped; an exception is a failure of the
 * teacher itself (network, timeout, bad configuration) that the stage may retry.
 * {@link dev.urae.batch.teacher.TeacherBatch} runs a shard's requests with bounded
 * parallelism and reports progress item by item.
 *
 * <p>Implementations here: {@link dev.urae.batch.teacher.HttpTeacher} (an asynchronous image
 * API of the FLUX1.1 [pro] Ultra kind) and {@link dev.urae.batch.teacher.DatasetTeacher} (a
 * folder or object-store prefix of captioned images, resized to aspect buckets). The demo
 * teacher wraps the procedural renderer of the demo world and lives with the stages.
 */
package dev.urae.batch.teacher;
