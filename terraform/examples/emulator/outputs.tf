output "bucket_name" {
  description = "Name of the data bucket"
  value       = module.urae.bucket_name
}

output "bucket_arn" {
  description = "ARN of the data bucket"
  value       = module.urae.bucket_arn
}

output "store_uri" {
  description = "Root of the application's object store (`URAE_STORE`)"
  value       = module.urae.store_uri
}

output "manifests_uri" {
  description = "Where to upload a manifest (`*.jsonl`) to start a run"
  value       = module.urae.manifests_uri
}

output "ecr_repository_urls" {
  description = "ECR repository URLs by image (`worker`, `orchestrator`)"
  value       = module.urae.ecr_repository_urls
}

output "manifests_queue_url" {
  description = "URL of the SQS queue receiving manifest uploads (`urae watch --queue`, `urae.watch.queue-url`)"
  value       = module.urae.manifests_queue_url
}

output "manifests_queue_arn" {
  description = "ARN of the SQS queue receiving manifest uploads"
  value       = module.urae.manifests_queue_arn
}

output "manifests_dlq_url" {
  description = "URL of the dead-letter queue for manifest messages and failed EventBridge submissions"
  value       = module.urae.manifests_dlq_url
}

output "eventbridge_rule_name" {
  description = "Name of the EventBridge rule that submits the orchestrator for uploaded manifests"
  value       = module.urae.eventbridge_rule_name
}

output "schedule_arns" {
  description = "ARNs of the EventBridge Scheduler schedules by name"
  value       = module.urae.schedule_arns
}

output "gpu_job_queue_name" {
  description = "Name of the GPU job queue (Spot, then on-demand)"
  value       = module.urae.gpu_job_queue_name
}

output "gpu_job_queue_arn" {
  description = "ARN of the GPU job queue"
  value       = module.urae.gpu_job_queue_arn
}

output "cpu_job_queue_name" {
  description = "Name of the Fargate job queue for orchestrators and CPU-only stages (`urae.aws.batch.job-queue.default`)"
  value       = module.urae.cpu_job_queue_name
}

output "cpu_job_queue_arn" {
  description = "ARN of the Fargate job queue"
  value       = module.urae.cpu_job_queue_arn
}

output "orchestrator_job_definition_name" {
  description = "Name of the orchestrator job definition (`urae run Ref::manifest`)"
  value       = module.urae.orchestrator_job_definition_name
}

output "orchestrator_job_definition_arn" {
  description = "ARN (with revision) of the orchestrator job definition"
  value       = module.urae.orchestrator_job_definition_arn
}

output "stage_jobs" {
  description = "Per stage, including `default` for stages without a GPU entry: the job queue and job definition the executor submits to"
  value       = module.urae.stage_jobs
}

output "compute_environment_arns" {
  description = "ARNs of the compute environments (`gpu_spot`, `gpu_on_demand`, `fargate`)"
  value       = module.urae.compute_environment_arns
}

output "log_group_name" {
  description = "CloudWatch log group of every URAE job (`urae.aws.batch.log-group`), streams prefixed by stage"
  value       = module.urae.log_group_name
}

output "job_security_group_id" {
  description = "Security group of the workers (stage jobs)"
  value       = module.urae.job_security_group_id
}

output "orchestrator_security_group_id" {
  description = "Security group of the orchestrators, the only one the job repository admits"
  value       = module.urae.orchestrator_security_group_id
}

output "orchestrator_role_arn" {
  description = "ARN of the role orchestrators run with"
  value       = module.urae.orchestrator_role_arn
}

output "worker_role_arn" {
  description = "ARN of the role stage tasks run with (runs/ and cache/ only)"
  value       = module.urae.worker_role_arn
}

output "execution_role_arn" {
  description = "ARN of the role ECS starts worker containers with"
  value       = module.urae.execution_role_arn
}

output "instance_role_arn" {
  description = "ARN of the GPU instances' role"
  value       = module.urae.instance_role_arn
}

output "batch_service_role_arn" {
  description = "ARN of the AWS Batch service role"
  value       = module.urae.batch_service_role_arn
}

output "database_jdbc_url" {
  description = "JDBC URL of the job repository (`SPRING_DATASOURCE_URL`)"
  value       = module.urae.database_jdbc_url
}

output "database_username" {
  description = "User name of the job repository (`SPRING_DATASOURCE_USERNAME`)"
  value       = module.urae.database_username
}

output "database_secret_arn" {
  description = "Secrets Manager secret holding the job repository password (JSON key `password`)"
  value       = module.urae.database_secret_arn
}

output "database_cluster_arn" {
  description = "ARN of the Aurora cluster, when this module created it"
  value       = module.urae.database_cluster_arn
}

output "application_environment" {
  description = "Environment variables every URAE container gets (Spring relaxed binding of `urae.*` and `spring.datasource.*`); the job definitions set exactly these (the orchestrator reads its database password from `URAE_DATABASE_SECRETID` at connection time)"
  value       = module.urae.application_environment
}

output "application_aws_yml" {
  description = "A ready `application-aws.yml` for running the orchestrator outside Batch (the password comes from `database_secret_arn`)"
  value       = module.urae.application_aws_yml
}
