/**
 * The one backoff policy for retried calls (AWS and the teacher API): capped exponential with
 * equal jitter ({@link dev.urae.infra.retry.Backoff}). Imports nothing else of the project.
 */
package dev.urae.infra.retry;
