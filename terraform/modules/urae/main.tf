data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  # Every resource carries the environment's name: the Budgets alarm (budget.tf) filters costs
  # on this tag once it is activated as a cost allocation tag.
  cost_tag_key = "urae:environment"
  tags         = merge(var.tags, { (local.cost_tag_key) = var.name })

  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name

  bucket_name = coalesce(var.bucket_name, "${var.name}-data-${local.account_id}")
  bucket_arn  = "arn:${local.partition}:s3:::${local.bucket_name}"
  store_uri   = "s3://${local.bucket_name}/${var.store_prefix}"

  # Absolute key prefix of uploads that start a run.
  manifests_key_prefix = "${var.store_prefix}${var.manifests_prefix}"

  # Every key prefix the orchestrator reads or writes: runs, the shared cache, uploaded
  # manifests and scratch. Workers get runs/ and cache/ only.
  worker_key_prefixes = ["${var.store_prefix}runs/", "${var.store_prefix}cache/"]
  stage_key_prefixes = distinct(concat(
    local.worker_key_prefixes,
    [local.manifests_key_prefix],
    [for p in var.scratch_prefixes : "${var.store_prefix}${p}"],
  ))

  # Checkpoints named by --model s3://bucket/prefix/: bucket ARN and key prefix of each.
  model_locations = [for uri in var.model_uris : {
    bucket_arn = "arn:${local.partition}:s3:::${split("/", trimprefix(uri, "s3://"))[0]}"
    prefix     = join("/", slice(split("/", trimprefix(uri, "s3://")), 1, length(split("/", trimprefix(uri, "s3://")))))
  }]

  gpu_job_queue_name       = "${var.name}-gpu"
  large_gpu_job_queue_name = "${var.name}-large-gpu"

  # GPU pools, each a queue over a Spot and an on-demand compute environment: `gpu` for the
  # stages that fit gpu_instance_types, `large-gpu` (when large_gpu_instance_types is set) for
  # those whose memory plan needs a larger GPU (URAE's 2K adapt stage: 80 GB).
  gpu_pools = merge(
    {
      gpu = {
        queue_name          = local.gpu_job_queue_name
        instance_types      = var.gpu_instance_types
        spot_max_vcpus      = var.spot_max_vcpus
        on_demand_max_vcpus = var.on_demand_max_vcpus
      }
    },
    length(var.large_gpu_instance_types) == 0 ? {} : {
      "large-gpu" = {
        queue_name          = local.large_gpu_job_queue_name
        instance_types      = var.large_gpu_instance_types
        spot_max_vcpus      = var.large_gpu_spot_max_vcpus
        on_demand_max_vcpus = var.large_gpu_on_demand_max_vcpus
      }
    },
  )
  stage_job_queue_names = {
    for stage, config in var.stages : stage => config.pool == "large-gpu" ? local.large_gpu_job_queue_name : local.gpu_job_queue_name
  }
  # CPU-only stages and orchestrators run on Fargate, on separate queues (security groups).
  cpu_job_queue_name          = "${var.name}-cpu"
  orchestrator_job_queue_name = "${var.name}-orchestrator"
  log_group_name              = "/aws/batch/${var.name}"

  job_definition_names = merge(
    { for stage in keys(var.stages) : stage => "${var.name}-${stage}" },
    { default = "${var.name}-cpu", orchestrator = "${var.name}-orchestrator" },
  )

  # ARNs are built from names wherever a policy needs them: policy documents that referred to
  # resources would only be known after apply, and the plan could not be checked.
  arn_prefix                 = "${local.partition}:%s:${local.region}:${local.account_id}"
  gpu_job_queue_arns         = [for pool in values(local.gpu_pools) : "arn:${format(local.arn_prefix, "batch")}:job-queue/${pool.queue_name}"]
  cpu_job_queue_arn          = "arn:${format(local.arn_prefix, "batch")}:job-queue/${local.cpu_job_queue_name}"
  orchestrator_job_queue_arn = "arn:${format(local.arn_prefix, "batch")}:job-queue/${local.orchestrator_job_queue_name}"
  ecr_repository_arns        = [for image in ["worker", "orchestrator"] : "arn:${format(local.arn_prefix, "ecr")}:repository/${var.name}/${image}"]
  log_group_arn              = "arn:${format(local.arn_prefix, "logs")}:log-group:${local.log_group_name}"

  # Job definition ARNs without the revision, so that a submit permission survives new revisions.
  job_definition_arn_prefixes = {
    for stage, name in local.job_definition_names :
    stage => "arn:${local.partition}:batch:${local.region}:${local.account_id}:job-definition/${name}"
  }
}

locals {
  application_aws_yml = yamlencode({
    spring = {
      datasource = {
        url      = local.database_jdbc_url
        username = local.database_app_username
      }
    }
    urae = {
      store    = local.store_uri
      database = { secret-id = local.database_app_secret_name }
      aws = {
        region = local.region
        batch = {
          job-queue = merge(
            { default = local.cpu_job_queue_name },
            local.stage_job_queue_names,
          )
          job-definition = { for stage, name in local.job_definition_names : stage => name if stage != "orchestrator" }
          timeout = merge(
            { default = var.cpu_stage.timeout_seconds },
            { for stage, config in var.stages : stage => config.timeout_seconds },
          )
          attempts  = var.job_attempts
          log-group = local.log_group_name
        }
      }
      watch = {
        queue-url = try(aws_sqs_queue.manifests[0].url, null)
        prefix    = local.manifests_key_prefix
        suffix    = var.manifests_suffix
      }
    }
  })
}
