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

resource "aws_batch_compute_environment" "orchestrator" {
  compute_environment_name_prefix = "${var.name}-orchestrator-"
  type                            = "MANAGED"
  service_role                    = aws_iam_role.batch_service.arn

  compute_resources {
    type               = "FARGATE"
    max_vcpus          = var.orchestrator_max_vcpus
    subnets            = var.subnet_ids
    security_group_ids = local.job_security_group_ids
  }

  tags = merge(var.tags, { Name = "${var.name}-orchestrator" })

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

resource "aws_batch_job_queue" "orchestrator" {
  name     = local.orchestrator_job_queue_name
  state    = "ENABLED"
  priority = 1

  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.orchestrator.arn
  }

  tags = merge(var.tags, { Name = local.orchestrator_job_queue_name })
}

################################################################################
# Logs
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.job_definition_names

  name              = "/aws/batch/${var.name}/${each.key}"
  retention_in_days = var.log_retention_in_days

  tags = merge(var.tags, { Name = "/aws/batch/${var.name}/${each.key}" })
}

################################################################################
# Job definitions
################################################################################

locals {
  # What every container needs to find the store, the job repository and the other jobs.
  application_environment = merge(
    {
      SPRING_PROFILES_ACTIVE               = "aws"
      URAE_STORE                           = local.store_uri
      SPRING_DATASOURCE_URL                = local.database_jdbc_url
      SPRING_DATASOURCE_USERNAME           = local.database_username
      URAE_AWS_REGION                      = local.region
      URAE_AWS_ORCHESTRATOR_JOB_QUEUE      = local.orchestrator_job_queue_name
      URAE_AWS_ORCHESTRATOR_JOB_DEFINITION = local.job_definition_names["orchestrator"]
    },
    var.enable_sqs_trigger ? { URAE_AWS_MANIFEST_QUEUE_URL = aws_sqs_queue.manifests[0].url } : {},
    merge([
      for stage in keys(var.stages) : {
        "URAE_AWS_STAGES_${upper(stage)}_JOB_QUEUE"      = local.gpu_job_queue_name
        "URAE_AWS_STAGES_${upper(stage)}_JOB_DEFINITION" = local.job_definition_names[stage]
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
  # failure is the application's to handle and exits at once.
  evaluate_on_exit = [
    { on_status_reason = "Host EC2*", action = "RETRY" },
    { on_reason = "*", action = "EXIT" },
  ]
}

resource "aws_batch_job_definition" "stage" {
  for_each = var.stages

  name                  = local.job_definition_names[each.key]
  type                  = "container"
  platform_capabilities = ["EC2"]
  propagate_tags        = true

  # The orchestrator submits array jobs with the task spec's URI as the `spec` parameter.
  parameters = { spec = "" }

  container_properties = jsonencode({
    image            = "${aws_ecr_repository.this["worker"].repository_url}:${var.image_tag}"
    command          = ["worker", "--spec", "Ref::spec"]
    jobRoleArn       = aws_iam_role.job.arn
    executionRoleArn = aws_iam_role.execution.arn
    resourceRequirements = concat(
      [
        { type = "VCPU", value = tostring(each.value.vcpus) },
        { type = "MEMORY", value = tostring(each.value.memory_mib) },
      ],
      each.value.gpus > 0 ? [{ type = "GPU", value = tostring(each.value.gpus) }] : [],
    )
    environment = concat(local.container_environment, [{ name = "URAE_STAGE", value = each.key }])
    secrets     = local.container_secrets
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this[each.key].name
        awslogs-region        = local.region
        awslogs-stream-prefix = each.key
      }
    }
  })

  retry_strategy {
    attempts = each.value.attempts

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

resource "aws_batch_job_definition" "orchestrator" {
  name                  = local.job_definition_names["orchestrator"]
  type                  = "container"
  platform_capabilities = ["FARGATE"]
  propagate_tags        = true

  # EventBridge and Scheduler pass the manifest URI as the `manifest` parameter.
  parameters = { manifest = "" }

  container_properties = jsonencode({
    image            = "${aws_ecr_repository.this["orchestrator"].repository_url}:${var.image_tag}"
    command          = ["run", "Ref::manifest"]
    jobRoleArn       = aws_iam_role.job.arn
    executionRoleArn = aws_iam_role.execution.arn
    resourceRequirements = [
      { type = "VCPU", value = tostring(var.orchestrator.vcpus) },
      { type = "MEMORY", value = tostring(var.orchestrator.memory_mib) },
    ]
    environment                  = concat(local.container_environment, [{ name = "URAE_STAGE", value = "orchestrator" }])
    secrets                      = local.container_secrets
    networkConfiguration         = { assignPublicIp = var.fargate_assign_public_ip ? "ENABLED" : "DISABLED" }
    fargatePlatformConfiguration = { platformVersion = "LATEST" }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this["orchestrator"].name
        awslogs-region        = local.region
        awslogs-stream-prefix = "orchestrator"
      }
    }
  })

  retry_strategy {
    attempts = var.orchestrator.attempts

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
