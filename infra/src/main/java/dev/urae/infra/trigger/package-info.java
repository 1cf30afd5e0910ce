/**
 * Turns manifest uploads into runs: {@link dev.urae.infra.trigger.S3EventParser} reads the S3
 * event shapes an SQS queue can carry (S3 notifications, EventBridge "Object Created", either
 * wrapped in SNS), and {@link dev.urae.infra.trigger.SqsManifestWatcher} long-polls the queue,
 * hands each manifest version to a {@link dev.urae.infra.trigger.RunStarter} and deletes a
 * message only once its runs are registered.
 */
package dev.urae.infra.trigger;
