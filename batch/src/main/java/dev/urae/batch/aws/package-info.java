/**
 * The app on AWS: with {@code urae.executor=aws-batch} (the {@code aws} profile sets it) tasks
 * run as AWS Batch array jobs, the store is S3 ({@code urae.store=s3://...}), and
 * {@code urae watch} turns manifest uploads into runs. Settings live under {@code urae.aws.*}
 * and {@code urae.watch.*} ({@link dev.urae.batch.aws.AwsProperties},
 * {@link dev.urae.batch.aws.WatchProperties}); see {@code application-aws.yml}.
 */
package dev.urae.batch.aws;
