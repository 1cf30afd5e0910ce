################################################################################
# General
################################################################################

variable "name" {
  description = "Name of this URAE environment; prefixes every resource name (lower case letters, digits and hyphens)"
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lower case letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource"
  type        = map(string)
  default     = {}
}

variable "force_destroy" {
  description = "Whether `terraform destroy` may delete a non-empty bucket and ECR repositories with images in them. Keep false for environments holding real data"
  type        = bool
  default     = false
}

################################################################################
# Storage
################################################################################

variable "bucket_name" {
  description = "Name of the data bucket. Defaults to `<name>-data-<account id>`, which is unique per account"
  type        = string
  default     = null
}

variable "store_prefix" {
  description = "Key prefix under which the application keeps its store (`URAE_STORE` is `s3://<bucket>/<store_prefix>`). Must end with `/`"
  type        = string
  default     = "urae/"

  validation {
    condition     = can(regex("^([a-z0-9._-]+/)+$", var.store_prefix))
    error_message = "store_prefix must be one or more path segments, each followed by '/', e.g. \"urae/\"."
  }
}

variable "manifests_prefix" {
  description = "Prefix, relative to the store, where uploaded manifests trigger a run (SQS notification and EventBridge rule)"
  type        = string
  default     = "incoming/"

  validation {
    condition     = can(regex("^([a-z0-9._-]+/)+$", var.manifests_prefix))
    error_message = "manifests_prefix must be one or more path segments, each followed by '/', e.g. \"incoming/\"."
  }
}

variable "manifests_suffix" {
  description = "File name suffix an upload must have to trigger a run"
  type        = string
  default     = ".jsonl"
}

variable "model_uris" {
  description = "Checkpoints runs may name with `--model s3://bucket/prefix/`. Workers stage them (list and read); orchestrators list them and read their configs and safetensors headers at launch (GetObject, read-only); nothing else of those buckets is granted"
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for uri in var.model_uris : can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/(.+/)?$", uri))])
    error_message = "model_uris must be S3 prefixes written s3://bucket/prefix/ (ending in a slash)."
  }
}

variable "scratch_prefixes" {
  description = "Prefixes, relative to the store, whose objects are temporary and expire after `scratch_expiration_days`"
  type        = list(string)
  default     = ["scratch/"]
}

variable "scratch_expiration_days" {
  description = "Days after which objects under the scratch prefixes expire"
  type        = number
  default     = 7
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which overwritten or deleted object versions are removed"
  type        = number
  default     = 30
}

variable "ecr_image_retention_count" {
  description = "Number of tagged images each ECR repository keeps; older ones expire"
  type        = number
  default     = 30
}

################################################################################
# Network (bring your own VPC)
################################################################################

variable "vpc_id" {
  description = "VPC in which jobs and the job repository run"
  type        = string
}

variable "subnet_ids" {
  description = "Subnets for the compute environments and the job repository (at least two availability zones for Aurora). Jobs need a route to ECR, S3 and CloudWatch Logs (NAT gateway or VPC endpoints)"
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets in different availability zones (Aurora requires it)."
  }
}

variable "security_group_ids" {
  description = "Additional security groups attached to every job, beside the security groups this module creates"
  type        = list(string)
  default     = []
}

variable "create_vpc_endpoints" {
  description = "Create the VPC endpoints jobs in private subnets need instead of a NAT gateway: an S3 gateway endpoint (on `vpc_endpoint_route_table_ids`) and interface endpoints for ECR (api, dkr), ECS (ecs, ecs-agent, ecs-telemetry), CloudWatch Logs, Secrets Manager, SQS and Batch. Leave false when the subnets route through a NAT gateway (see docs/aws.md, Network)"
  type        = bool
  default     = false
}

variable "vpc_endpoint_route_table_ids" {
  description = "Route tables of `subnet_ids`, which get the S3 gateway endpoint when `create_vpc_endpoints` is true"
  type        = list(string)
  default     = []
}

################################################################################
# Compute
################################################################################

variable "gpu_instance_types" {
  description = "GPU instance types the Spot and on-demand compute environments may launch (g5, g6, g6e, p4d, p4de, p5 sizes; see `instance_types.tf`). Every GPU stage must fit the largest of them"
  type        = list(string)
  default     = ["g5.xlarge", "g5.2xlarge", "g5.4xlarge", "g6.xlarge", "g6.2xlarge"]

  validation {
    condition     = length(var.gpu_instance_types) > 0
    error_message = "gpu_instance_types needs at least one instance type."
  }
}

variable "large_gpu_instance_types" {
  description = "GPU instance types of the optional large-GPU pool (its own Spot and on-demand compute environments and the queue `<name>-large-gpu`), for stages with `pool = \"large-gpu\"`: URAE's 4K adapt stage needs 69.4 GiB on one GPU, an 80 GB A100 (p4de.24xlarge) or H100/H200 (p5.48xlarge, p5e.48xlarge). Empty: no such pool"
  type        = list(string)
  default     = []
}

variable "large_gpu_spot_max_vcpus" {
  description = "Maximum vCPUs of the large-GPU pool's Spot compute environment (192 is one p5.48xlarge)"
  type        = number
  default     = 192
}

variable "large_gpu_on_demand_max_vcpus" {
  description = "Maximum vCPUs of the large-GPU pool's on-demand compute environment, used when its Spot environment is at its maximum"
  type        = number
  default     = 96
}

variable "root_volume_size_gib" {
  description = "Size of the gp3 root volume of GPU instances: the AMI, the worker image (several GiB with libtorch and CUDA) and model weights staged when the instance has no NVMe instance store"
  type        = number
  default     = 200

  validation {
    condition     = var.root_volume_size_gib >= 60
    error_message = "root_volume_size_gib must be at least 60: the GPU AMI and the worker image alone take ~30 GiB."
  }
}

variable "runnable_timeout_seconds" {
  description = "How long a job may wait in RUNNABLE, blocked by a misconfiguration (job larger than any instance type, vCPU limit of the environment) or by missing instance capacity, before the queue cancels it (600 to 86400)"
  type        = number
  default     = 3600

  validation {
    condition     = var.runnable_timeout_seconds >= 600 && var.runnable_timeout_seconds <= 86400
    error_message = "runnable_timeout_seconds must be between 600 and 86400 (AWS Batch's limits for job state time limit actions)."
  }
}

variable "gpu_image_type" {
  description = "Batch EC2 image type for the GPU compute environments: the ECS GPU-optimised AMI with NVIDIA drivers and container toolkit"
  type        = string
  default     = "ECS_AL2023_NVIDIA"
}

variable "spot_max_vcpus" {
  description = "Maximum vCPUs of the Spot GPU compute environment"
  type        = number
  default     = 256
}

variable "on_demand_max_vcpus" {
  description = "Maximum vCPUs of the on-demand GPU compute environment. Batch places jobs here when the Spot environment is at `spot_max_vcpus`; it does not move jobs here when Spot has no capacity (they wait in RUNNABLE)"
  type        = number
  default     = 64
}

variable "orchestrator_max_vcpus" {
  description = "Maximum vCPUs of the Fargate compute environment running orchestrators"
  type        = number
  default     = 16
}

variable "cpu_stage_max_vcpus" {
  description = "Maximum vCPUs of the Fargate compute environment running CPU-only stages (ingest, report)"
  type        = number
  default     = 16
}

variable "fargate_assign_public_ip" {
  description = "Whether orchestrator tasks get a public IP (needed only in public subnets without NAT)"
  type        = bool
  default     = false
}

variable "image_tag" {
  description = "Tag of the worker and orchestrator images the job definitions run (ECR tags are immutable: use a release tag)"
  type        = string
  default     = "0.1.0"
}

variable "stages" {
  description = "GPU stages (those that load the base model: the application's `urae.gpu-stages`) and their per-job resources. Each gets a job definition on the queue of its `pool` (`gpu`, or `large-gpu` for stages whose memory plan needs an 80 GB GPU, with `min_gpu_memory_gib` checked against every type of the pool); `gpus = 0` runs on that queue without a GPU reservation. ingest, teacher and report are CPU-only: they run on the CPU queue with the `default` job definition"
  type = map(object({
    vcpus           = number
    memory_mib      = number
    gpus            = optional(number, 1)
    timeout_seconds = optional(number, 14400)
    # Which GPU pool (queue and compute environments) the stage's jobs go to.
    pool = optional(string, "gpu")
    # GPU memory one job needs (its memory plan, `urae plan`); every type of the pool must have it.
    min_gpu_memory_gib = optional(number, 0)
  }))
  default = {
    cache  = { vcpus = 4, memory_mib = 15000, gpus = 1, timeout_seconds = 7200 }
    adapt  = { vcpus = 8, memory_mib = 30000, gpus = 1, timeout_seconds = 86400 }
    render = { vcpus = 4, memory_mib = 15000, gpus = 1, timeout_seconds = 14400 }
  }

  validation {
    condition     = alltrue([for s in keys(var.stages) : contains(["cache", "adapt", "render"], s)])
    error_message = "stages may only name cache, adapt and render: the stages that load the base model. ingest, teacher (demo drawing, an HTTP API, a dataset) and report need no GPU and run on the CPU queue."
  }

  validation {
    condition     = alltrue([for s, c in var.stages : contains(["gpu", "large-gpu"], c.pool)])
    error_message = "stages.*.pool must be \"gpu\" (gpu_instance_types) or \"large-gpu\" (large_gpu_instance_types)."
  }

  validation {
    condition     = alltrue([for s, c in var.stages : c.pool != "large-gpu" || length(var.large_gpu_instance_types) > 0])
    error_message = "A stage has pool = \"large-gpu\" but large_gpu_instance_types is empty: list the 80 GB GPU instance types of that pool (e.g. [\"p4de.24xlarge\", \"p5.48xlarge\"])."
  }
}

variable "orchestrator" {
  description = "Resources of the orchestrator job on Fargate (valid Fargate vCPU/memory pairs only)"
  type = object({
    vcpus           = optional(number, 1)
    memory_mib      = optional(number, 2048)
    timeout_seconds = optional(number, 172800)
  })
  default = {}
}

variable "cpu_stage" {
  description = "Resources of the `default` job definition: stages without a GPU entry in `stages` (ingest, report) run with the orchestrator image on the Fargate queue"
  type = object({
    vcpus           = optional(number, 2)
    memory_mib      = optional(number, 8192)
    timeout_seconds = optional(number, 7200)
  })
  default = {}
}

variable "job_attempts" {
  description = "Attempts AWS Batch makes when the host went away (`Host EC2*`, e.g. a Spot reclaim) or the image could not be pulled (`CannotPullContainerError*`, `DockerTimeoutError*`); every other failure exits at once"
  type        = number
  default     = 3
}

variable "root_logging_level" {
  description = "Level of the application's log lines that reach CloudWatch (`LOGGING_LEVEL_DEV_URAE`): INFO shows what was submitted, polled and retried"
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR"], var.root_logging_level)
    error_message = "root_logging_level must be one of TRACE, DEBUG, INFO, WARN, ERROR."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the job log group"
  type        = number
  default     = 30
}

################################################################################
# Triggers
################################################################################

variable "enable_sqs_trigger" {
  description = "Send ObjectCreated notifications for manifests to an SQS queue read by `urae watch`"
  type        = bool
  default     = true
}

variable "enable_eventbridge_trigger" {
  description = "Submit the orchestrator as a Batch job for every uploaded manifest (no server). Runs are keyed by manifest content, so enabling both triggers does not run a manifest twice"
  type        = bool
  default     = true
}

variable "queue_visibility_timeout_seconds" {
  description = "How long a manifest message stays invisible while `urae watch` registers its run (the message is deleted only after that)"
  type        = number
  default     = 300
}

variable "queue_max_receive_count" {
  description = "Deliveries of a manifest message before it moves to the dead-letter queue"
  type        = number
  default     = 5
}

variable "alarm_actions" {
  description = "ARNs (SNS topics) notified when a manifest message lands in the dead-letter queue"
  type        = list(string)
  default     = []
}

variable "budget" {
  description = "An AWS Budgets monthly cost budget over the resources tagged `urae:environment = <name>` (activate that tag as a cost allocation tag in Billing first), alerting the e-mail addresses at the given percentages of the limit, actual and forecast. Null for none"
  type = object({
    monthly_limit_usd     = number
    emails                = list(string)
    alert_at_percent      = optional(list(number), [80, 100])
    forecast_alert_at_pct = optional(number, 100)
  })
  default = null

  validation {
    condition     = var.budget == null || try(var.budget.monthly_limit_usd > 0 && length(var.budget.emails) > 0, false)
    error_message = "budget needs a positive monthly_limit_usd and at least one e-mail address."
  }
}

variable "schedules" {
  description = "EventBridge Scheduler schedules that submit the orchestrator for a manifest, keyed by schedule name"
  type = map(object({
    schedule_expression = string
    manifest_uri        = string
    timezone            = optional(string, "UTC")
    enabled             = optional(bool, true)
  }))
  default = {}
}

################################################################################
# Job repository
################################################################################

variable "create_database" {
  description = "Create an Aurora PostgreSQL Serverless v2 cluster for the job repository; when false, `existing_database` must be set"
  type        = bool
  default     = true
}

variable "existing_database" {
  description = "An existing PostgreSQL job repository, used when `create_database` is false. `password_secret_arn` points at a Secrets Manager secret whose JSON has a `password` key"
  type = object({
    jdbc_url            = string
    username            = string
    password_secret_arn = string
  })
  default = null
}

variable "database_engine_version" {
  description = "Aurora PostgreSQL engine version"
  type        = string
  default     = "16.6"
}

variable "database_min_capacity" {
  description = "Minimum Aurora Serverless v2 capacity in ACUs"
  type        = number
  default     = 0.5
}

variable "database_max_capacity" {
  description = "Maximum Aurora Serverless v2 capacity in ACUs"
  type        = number
  default     = 4
}

variable "database_backup_retention_days" {
  description = "Days Aurora keeps automated backups"
  type        = number
  default     = 7
}

variable "database_deletion_protection" {
  description = "Whether the job repository cluster is protected from deletion"
  type        = bool
  default     = true
}

variable "database_skip_final_snapshot" {
  description = "Whether destroying the cluster skips its final snapshot (`<name>-jobrepo-final`)"
  type        = bool
  default     = false
}

variable "database_app_password_version" {
  description = "Raise to give the application database user a new password in its secret; then run the bootstrap job (`database_bootstrap_command`) so that PostgreSQL has it too. Running orchestrators pick it up without a restart"
  type        = number
  default     = 1
}
