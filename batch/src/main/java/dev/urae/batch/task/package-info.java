/**
 * Tasks, the unit of work a stage hands to an executor: the spec, the worker-side
 * {@link dev.urae.batch.task.TaskHandler} port, the task context that records outputs, completion
 * markers and the worker entry point. Imports {@code run} and {@code json}.
 */
package dev.urae.batch.task;
