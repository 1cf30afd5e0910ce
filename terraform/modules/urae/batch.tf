################################################################################
# Job network
################################################################################

resource "aws_security_group" "jobs" {
  name        = "${var.name}-jobs"
  description = "URAE Batch jobs: outbound only (S3, ECR, CloudWatch Logs, job repository)"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-jobs" })

  lifecycle {
    precondition {
      condition     = var.create_database || var.existing_database != null
      error_message = "existing_database must be set when create_database is false."
    }
  }
}

resource "aws_vpc_security_group_egress_rule" "jobs" {
  security_group_id = aws_security_group.jobs.id
  description       = "Outbound to AWS APIs and the job repository"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(var.tags, { Name = "${var.name}-jobs-egress" })
}

locals {
  job_security_group_ids = concat([aws_security_group.jobs.id], var.security_group_ids)
}

################################################################################
# Compute environments
################################################################################

# Compute environments are created under a name prefix with create_before_destroy: most
# compute_resources changes (instance types, subnets, tags) replace the environment, and the
# queue must point at the new one before the old one can go.
resource "aws_batch_compute_environment" "gpu_spot" {
  compute_environment_name_prefix = "${var.name}-gpu-spot-"
  type                            = "MANAGED"
  service_role                    = aws_iam_role.batch_service.arn

  compute_resources {
    type                = "SPOT"
    allocation_strategy = "SPOT_PRICE_CAPACITY_OPTIMIZED"
    instance_type       = var.gpu_instance_types
    instance_role       = aws_iam_instance_profile.instance.arn
    min_vcpus           = 0
    max_vcpus           = var.spot_max_vcpus
    subnets             = var.subnet_ids
    security_group_ids  = local.job_security_group_ids

    ec2_configuration {
      image_type = var.gpu_image_type
    }

    tags = merge(var.tags, { Name = "${var.name}-gpu-spot" })
  }

  tags = merge(var.tags, { Name = "${var.name}-gpu-spot" })

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_iam_role_policy_attachment.batch_service]
}

resource "aws_batch_compute_environment" "gpu_on_demand" {
  compute_environment_name_prefix = "${var.name}-gpu-od-"
  type                            = "MANAGED"
  service_role                    = aws_iam_role.batch_service.arn

  compute_resources {
    type                = "EC2"
    allocation_strategy = "BEST_FIT_PROGRESSIVE"
    instance_type       = var.gpu_instance_types
    instance_role       = aws_iam_instance_profile.instance.arn
    min_vcpus           = 0
    max_vcpus           = var.on_demand_max_vcpus
    subnets             = var.subnet_ids
    security_group_ids  = local.job_security_group_ids

    ec2_configuration {
      image_type = var.gpu_image_type
    }

    tags = merge(var.tags, { Name = "${var.name}-gpu-on-demand" })
  }

  tags = merge(var.tags, { Name = "${var.name}-gpu-on-demand" })

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_iam_role_policy_attachment.batch_service]
}

resource "aws_batch_compute_environment" "fargate" {
  compute_environment_name_prefix = "${var.name}-fargate-"
  type                            = "MANAGED"
  service_role                    = aws_iam_role.batch_service.arn

  compute_resources {
    type               = "FARGATE"
    max_vcpus          = var.orchestrator_max_vcpus
    subnets            = var.subnet_ids
    security_group_ids = local.job_security_group_ids
  }

  tags = merge(var.tags, { Name = "${var.name}-fargate" })

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_iam_role_policy_attachment.batch_service]
}

################################################################################
# Job queues
################################################################################

resource "aws_batch_job_queue" "gpu" {
  name     = local.gpu_job_queue_name
  state    = "ENABLED"
  priority = 1

  # Spot first; Batch places jobs on the on-demand environment only when Spot is at its
  # max vCPUs or cannot get capacity.
  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.gpu_spot.arn
  }

  compute_environment_order {
    order               = 2
    compute_environment = aws_batch_compute_environment.gpu_on_demand.arn
  }

  tags = merge(var.tags, { Name = local.gpu_job_queue_name })
}

resource "aws_batch_job_queue" "cpu" {
  name     = local.cpu_job_queue_name
  state    = "ENABLED"
  priority = 1

  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.fargate.arn
  }

  tags = merge(var.tags, { Name = local.cpu_job_queue_name })
}

################################################################################
# Logs
################################################################################

# One group for every URAE job: the application names it in failure reasons, and streams are
# prefixed by stage.
resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days

  tags = merge(var.tags, { Name = local.log_group_name })
}

################################################################################
# Job definitions
################################################################################

locals {
  # What every container needs to find the store, the job repository, the other jobs and the
  # manifest queue (names: docs/aws.md, Spring relaxed binding of `urae.*`).
  application_environment = merge(
    {
      SPRING_PROFILES_ACTIVE               = "aws"
      URAE_STORE                           = local.store_uri
      URAE_AWS_REGION                      = local.region
      SPRING_DATASOURCE_URL                = local.database_jdbc_url
      SPRING_DATASOURCE_USERNAME           = local.database_username
      URAE_AWS_BATCH_JOBQUEUE_DEFAULT      = local.cpu_job_queue_name
      URAE_AWS_BATCH_JOBDEFINITION_DEFAULT = local.job_definition_names["default"]
      URAE_AWS_BATCH_TIMEOUT_DEFAULT       = tostring(var.cpu_stage.timeout_seconds)
      URAE_AWS_BATCH_ATTEMPTS              = tostring(var.job_attempts)
      URAE_AWS_BATCH_LOGGROUP              = local.log_group_name
      URAE_WATCH_PREFIX                    = local.manifests_key_prefix
      URAE_WATCH_SUFFIX                    = var.manifests_suffix
    },
    var.enable_sqs_trigger ? { URAE_WATCH_QUEUEURL = aws_sqs_queue.manifests[0].url } : {},
    merge([
      for stage, config in var.stages : {
        "URAE_AWS_BATCH_JOBQUEUE_${upper(stage)}"      = local.gpu_job_queue_name
        "URAE_AWS_BATCH_JOBDEFINITION_${upper(stage)}" = local.job_definition_names[stage]
        "URAE_AWS_BATCH_TIMEOUT_${upper(stage)}"       = tostring(config.timeout_seconds)
      }
    ]...),
  )

  container_environment = [
    for key in sort(keys(local.application_environment)) : { name = key, value = local.application_environment[key] }
  ]

  container_secrets = [{
    name      = "SPRING_DATASOURCE_PASSWORD"
    valueFrom = local.database_password_value_from
  }]

  # Batch retries only when the host went away (Spot reclaim, instance failure); any other
  # failure is the application's to handle and exits at once. The executor sends the same
  # strategy with every SubmitJob; this is the fallback for jobs submitted by hand.
  evaluate_on_exit = [
    { on_status_reason = "Host EC2*", action = "RETRY" },
    { on_reason = "*", action = "EXIT" },
  ]

  fargate_container_properties = {
    jobRoleArn                   = aws_iam_role.job.arn
    executionRoleArn             = aws_iam_role.execution.arn
    environment                  = local.container_environment
    secrets                      = local.container_secrets
    networkConfiguration         = { assignPublicIp = var.fargate_assign_public_ip ? "ENABLED" : "DISABLED" }
    fargatePlatformConfiguration = { platformVersion = "LATEST" }
  }
}

resource "aws_batch_job_definition" "stage" {
  for_each = var.stages

  name                  = local.job_definition_names[each.key]
  type                  = "container"
  platform_capabilities = ["EC2"]
  propagate_tags        = true

  # The executor overrides the command per job (`urae worker --spec <uri>` or `--task-list`);
  # `spec` serves jobs submitted by hand.
  parameters = { spec = "" }

  container_properties = jsonencode({
    image            = "${aws_ecr_repository.this["worker"].repository_url}:${var.image_tag}"
    command          = ["urae", "worker", "--spec", "Ref::spec"]
    jobRoleArn       = aws_iam_role.job.arn
    executionRoleArn = aws_iam_role.execution.arn
    resourceRequirements = concat(
      [
        { type = "VCPU", value = tostring(each.value.vcpus) },
        { type = "MEMORY", value = tostring(each.value.memory_mib) },
      ],
      each.value.gpus > 0 ? [{ type = "GPU", value = tostring(each.value.gpus) }] : [],
    )
    environment = local.container_environment
    secrets     = local.container_secrets
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = local.region
        awslogs-stream-prefix = each.key
      }
    }
  })

  retry_strategy {
    attempts = var.job_attempts

    dynamic "evaluate_on_exit" {
      for_each = local.evaluate_on_exit

      content {
        on_status_reason = try(evaluate_on_exit.value.on_status_reason, null)
        on_reason        = try(evaluate_on_exit.value.on_reason, null)
        action           = evaluate_on_exit.value.action
      }
    }
  }

  timeout {
    attempt_duration_seconds = each.value.timeout_seconds
  }

  tags = merge(var.tags, { Name = local.job_definition_names[each.key], Stage = each.key })
}

# Stages that need no GPU (ingest, report) run the same CLI from the small image on Fargate.
resource "aws_batch_job_definition" "default" {
  name                  = local.job_definition_names["default"]
  type                  = "container"
  platform_capabilities = ["FARGATE"]
  propagate_tags        = true

  parameters = { spec = "" }

  container_properties = jsonencode(merge(local.fargate_container_properties, {
    image   = "${aws_ecr_repository.this["orchestrator"].repository_url}:${var.image_tag}"
    command = ["urae", "worker", "--spec", "Ref::spec"]
    resourceRequirements = [
      { type = "VCPU", value = tostring(var.cpu_stage.vcpus) },
      { type = "MEMORY", value = tostring(var.cpu_stage.memory_mib) },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = local.region
        awslogs-stream-prefix = "cpu"
      }
    }
  }))

  retry_strategy {
    attempts = var.job_attempts

    dynamic "evaluate_on_exit" {
      for_each = local.evaluate_on_exit

      content {
        on_status_reason = try(evaluate_on_exit.value.on_status_reason, null)
        on_reason        = try(evaluate_on_exit.value.on_reason, null)
        action           = evaluate_on_exit.value.action
      }
    }
  }

  timeout {
    attempt_duration_seconds = var.cpu_stage.timeout_seconds
  }

  tags = merge(var.tags, { Name = local.job_definition_names["default"], Stage = "default" })
}

resource "aws_batch_job_definition" "orchestrator" {
  name                  = local.job_definition_names["orchestrator"]
  type                  = "container"
  platform_capabilities = ["FARGATE"]
  propagate_tags        = true

  # EventBridge and Scheduler pass the manifest URI as the `manifest` parameter.
  parameters = { manifest = "" }

  container_properties = jsonencode(merge(local.fargate_container_properties, {
    image   = "${aws_ecr_repository.this["orchestrator"].repository_url}:${var.image_tag}"
    command = ["urae", "run", "Ref::manifest"]
    resourceRequirements = [
      { type = "VCPU", value = tostring(var.orchestrator.vcpus) },
      { type = "MEMORY", value = tostring(var.orchestrator.memory_mib) },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = local.region
        awslogs-stream-prefix = "orchestrator"
      }
    }
  }))

  retry_strategy {
    attempts = var.job_attempts

    dynamic "evaluate_on_exit" {
      for_each = local.evaluate_on_exit

      content {
        on_status_reason = try(evaluate_on_exit.value.on_status_reason, null)
        on_reason        = try(evaluate_on_exit.value.on_reason, null)
        action           = evaluate_on_exit.value.action
      }
    }
  }

  timeout {
    attempt_duration_seconds = var.orchestrator.timeout_seconds
  }

  tags = merge(var.tags, { Name = local.job_definition_names["orchestrator"], Stage = "orchestrator" })
}
