################################################################################
# Storage
################################################################################

output "bucket_name" {
  description = "Name of the data bucket"
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the data bucket"
  value       = aws_s3_bucket.this.arn
}

output "store_uri" {
  description = "Root of the application's object store (`URAE_STORE`)"
  value       = local.store_uri
}

output "manifests_uri" {
  description = "Where to upload a manifest (`*.jsonl`) to start a run"
  value       = "s3://${aws_s3_bucket.this.id}/${local.manifests_key_prefix}"
}

output "ecr_repository_urls" {
  description = "ECR repository URLs by image (`worker`, `orchestrator`)"
  value       = { for k, repo in aws_ecr_repository.this : k => repo.repository_url }
}

################################################################################
# Triggers
################################################################################

output "manifests_queue_url" {
  description = "URL of the SQS queue receiving manifest uploads (`urae watch --queue`, `urae.watch.queue-url`)"
  value       = try(aws_sqs_queue.manifests[0].url, null)
}

output "manifests_queue_arn" {
  description = "ARN of the SQS queue receiving manifest uploads"
  value       = try(aws_sqs_queue.manifests[0].arn, null)
}

output "manifests_dlq_url" {
  description = "URL of the dead-letter queue for manifest messages and failed EventBridge submissions"
  value       = try(aws_sqs_queue.manifests_dlq[0].url, null)
}

output "eventbridge_rule_name" {
  description = "Name of the EventBridge rule that submits the orchestrator for uploaded manifests"
  value       = try(aws_cloudwatch_event_rule.manifest_uploaded[0].name, null)
}

output "schedule_arns" {
  description = "ARNs of the EventBridge Scheduler schedules by name"
  value       = { for k, s in aws_scheduler_schedule.this : k => s.arn }
}

################################################################################
# Compute
################################################################################

output "gpu_job_queue_name" {
  description = "Name of the GPU job queue (Spot, then on-demand) of the `gpu` pool"
  value       = aws_batch_job_queue.gpu["gpu"].name
}

output "gpu_job_queue_arn" {
  description = "ARN of the GPU job queue of the `gpu` pool"
  value       = aws_batch_job_queue.gpu["gpu"].arn
}

output "large_gpu_job_queue_name" {
  description = "Name of the job queue of the `large-gpu` pool (large_gpu_instance_types); null without one"
  value       = try(aws_batch_job_queue.gpu["large-gpu"].name, null)
}

output "orchestrator_job_queue_name" {
  description = "Name of the Fargate job queue of the orchestrators (EventBridge and Scheduler submit here)"
  value       = aws_batch_job_queue.orchestrator.name
}

output "manifests_dlq_alarm_name" {
  description = "Name of the CloudWatch alarm on messages in the dead-letter queue"
  value       = try(aws_cloudwatch_metric_alarm.manifests_dlq[0].alarm_name, null)
}

output "cpu_job_queue_name" {
  description = "Name of the Fargate job queue for orchestrators and CPU-only stages (`urae.aws.batch.job-queue.default`)"
  value       = aws_batch_job_queue.cpu.name
}

output "cpu_job_queue_arn" {
  description = "ARN of the Fargate job queue"
  value       = aws_batch_job_queue.cpu.arn
}

output "orchestrator_job_definition_name" {
  description = "Name of the orchestrator job definition (`urae run Ref::manifest`)"
  value       = aws_batch_job_definition.orchestrator.name
}

output "orchestrator_job_definition_arn" {
  description = "ARN (with revision) of the orchestrator job definition"
  value       = aws_batch_job_definition.orchestrator.arn
}

output "stage_jobs" {
  description = "Per stage, including `default` for stages without a GPU entry: the job queue and job definition the executor submits to"
  value = merge(
    {
      for stage, definition in aws_batch_job_definition.stage : stage => {
        job_queue          = aws_batch_job_queue.gpu[var.stages[stage].pool].name
        job_queue_arn      = aws_batch_job_queue.gpu[var.stages[stage].pool].arn
        job_definition     = definition.name
        job_definition_arn = definition.arn
      }
    },
    {
      default = {
        job_queue          = aws_batch_job_queue.cpu.name
        job_queue_arn      = aws_batch_job_queue.cpu.arn
        job_definition     = aws_batch_job_definition.default.name
        job_definition_arn = aws_batch_job_definition.default.arn
      }
    },
  )
}

output "compute_environment_arns" {
  description = "ARNs of the compute environments (`gpu_spot`, `gpu_on_demand`, `large_gpu_spot` and `large_gpu_on_demand` with a large-GPU pool, `fargate` for CPU stages, `orchestrator`)"
  value = merge(
    {
      gpu_spot      = aws_batch_compute_environment.gpu_spot["gpu"].arn
      gpu_on_demand = aws_batch_compute_environment.gpu_on_demand["gpu"].arn
      fargate       = aws_batch_compute_environment.fargate.arn
      orchestrator  = aws_batch_compute_environment.orchestrator.arn
    },
    contains(keys(local.gpu_pools), "large-gpu") ? {
      large_gpu_spot      = aws_batch_compute_environment.gpu_spot["large-gpu"].arn
      large_gpu_on_demand = aws_batch_compute_environment.gpu_on_demand["large-gpu"].arn
    } : {},
  )
}

output "log_group_name" {
  description = "CloudWatch log group of every URAE job (`urae.aws.batch.log-group`), streams prefixed by stage"
  value       = aws_cloudwatch_log_group.this.name
}

output "job_security_group_id" {
  description = "Security group of the workers (stage jobs); the job repository does not admit it"
  value       = aws_security_group.jobs.id
}

output "orchestrator_security_group_id" {
  description = "Security group of the orchestrators; the only one the job repository admits. Give it to a host running `urae watch`"
  value       = aws_security_group.orchestrator.id
}

################################################################################
# IAM
################################################################################

output "orchestrator_role_arn" {
  description = "ARN of the role orchestrators (`urae run`, `urae watch`) run with: the store, SubmitJob/TerminateJob on URAE jobs, the manifest queue"
  value       = aws_iam_role.orchestrator.arn
}

output "worker_role_arn" {
  description = "ARN of the role stage tasks run with: runs/ and cache/ of the store only"
  value       = aws_iam_role.worker.arn
}

output "execution_role_arn" {
  description = "ARN of the role ECS starts every URAE container with (images and logs; no secrets)"
  value       = aws_iam_role.execution.arn
}

output "instance_role_arn" {
  description = "ARN of the GPU instances' role"
  value       = aws_iam_role.instance.arn
}

output "batch_service_role_arn" {
  description = "ARN of the AWS Batch service role"
  value       = aws_iam_role.batch_service.arn
}

################################################################################
# Job repository
################################################################################

output "database_jdbc_url" {
  description = "JDBC URL of the job repository (`SPRING_DATASOURCE_URL`)"
  value       = local.database_jdbc_url
}

output "database_username" {
  description = "The application user runs connect as (`SPRING_DATASOURCE_USERNAME`): row rights on the job repository only"
  value       = local.database_app_username
}

output "database_app_secret_arn" {
  description = "Secrets Manager secret with the application user's `username` and `password` (`URAE_DATABASE_SECRETID`), read at connection time"
  value       = aws_secretsmanager_secret.database_app.arn
}

output "database_secret_arn" {
  description = "Secrets Manager secret of the database owner (JSON key `password`); only the bootstrap job reads it"
  value       = local.database_secret_arn
}

output "database_bootstrap_command" {
  description = "Run once after the first apply (and after raising `database_app_password_version`): creates the job repository's tables and the application user"
  value       = "aws batch submit-job --region ${local.region} --job-queue ${local.orchestrator_job_queue_name} --job-definition ${aws_batch_job_definition.database_bootstrap.name} --job-name ${var.name}-database-bootstrap"
}

output "database_cluster_arn" {
  description = "ARN of the Aurora cluster, when this module created it"
  value       = try(aws_rds_cluster.this[0].arn, null)
}

################################################################################
# Application
################################################################################

output "application_environment" {
  description = "Environment variables of the orchestrator (Spring relaxed binding of `urae.*` and `spring.datasource.*`); its job definition sets exactly these; the database password is read from `URAE_DATABASE_SECRETID` at connection time. Workers get `worker_environment`"
  value       = local.application_environment
}

output "worker_environment" {
  description = "Environment variables of the stage jobs: `application_environment` without the database and the manifest queue"
  value       = local.worker_environment
}

output "application_aws_yml" {
  description = "A ready `application-aws.yml` for running the orchestrator outside Batch (the password is read from `database_app_secret_arn`, which the caller must be allowed to read)"
  value       = local.application_aws_yml
}
