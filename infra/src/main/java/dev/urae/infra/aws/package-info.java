/**
 * AWS client setup shared by the S3 store, the AWS Batch executor and the SQS watcher: region,
 * credentials and endpoint overrides in one factory ({@link dev.urae.infra.aws.AwsClientFactory}),
 * and one place that decides what an SDK error means ({@link dev.urae.infra.aws.AwsErrors}) and
 * how to retry it ({@link dev.urae.infra.aws.AwsRetry}). Synchronous clients are built without
 * the SDK's own retries so that every retry is decided and counted here.
 */
package dev.urae.infra.aws;
