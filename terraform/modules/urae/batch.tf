################################################################################
# Job network
################################################################################

# Two security groups, one per role: the database admits the orchestrators' only, so a worker
# (which runs code over user data) cannot reach the job repository even if it learned a password.
resource "aws_security_group" "jobs" {
  name        = "${var.name}-jobs"
  description = "URAE Batch workers: outbound only (S3, ECR, CloudWatch Logs); no access to the job repository"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-jobs" })

  lifecycle {
    precondition {
      condition     = var.create_database || var.existing_database != null
      error_message = "existing_database must be set when create_database is false."
    }
  }
}

resource "aws_security_group" "orchestrator" {
  name        = "${var.name}-orchestrator"
  description = "URAE orchestrators and urae watch: outbound to AWS APIs and the job repository"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-orchestrator" })
}

resource "aws_vpc_security_group_egress_rule" "jobs" {
  for_each = {
    jobs         = aws_security_group.jobs.id
    orchestrator = aws_security_group.orchestrator.id
  }

  security_group_id = each.value
  description       = "Outbound to AWS APIs (and, for orchestrators, the job repository)"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(local.tags, { Name = "${var.name}-${each.key}-egress" })
}

locals {
  job_security_group_ids          = concat([aws_security_group.jobs.id], var.security_group_ids)
  orchestrator_security_group_ids = concat([aws_security_group.orchestrator.id], var.security_group_ids)
}

################################################################################
# Launch template of the GPU instances
################################################################################

# The NVMe instance store (g5, g6, g6e, p4d and p5 all have one) is faster than EBS and free:
# it holds staged weights and task scratch. One device is formatted and mounted as is; several
# become one RAID 0. Without an instance store the folder is created on the root volume.
# AWS Batch accepts launch template user data only as MIME multi-part.
locals {
  scratch_host_path = "/urae-scratch"
  gpu_user_data     = <<-EOT
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="==URAE=="

    --==URAE==
    Content-Type: text/x-shellscript; charset="us-ascii"

    #!/bin/bash
    set -euo pipefail
    mkdir -p ${local.scratch_host_path}
    devices=$(ls /dev/disk/by-id/nvme-Amazon_EC2_NVMe_Instance_Storage_* 2>/dev/null | grep -v -- '-ns-' | sort -u || true)
    count=$(echo "$devices" | grep -c . || true)
    if [ "$count" -gt 1 ]; then
      mdadm --create /dev/md0 --level=0 --force --raid-devices="$count" $devices
      mkfs.xfs -f /dev/md0 && mount -o noatime /dev/md0 ${local.scratch_host_path}
    elif [ "$count" -eq 1 ]; then
      mkfs.xfs -f "$devices" && mount -o noatime "$devices" ${local.scratch_host_path}
    fi
    # Containers run as uid 10001 (the images' urae user).
    chmod 1777 ${local.scratch_host_path}

    --==URAE==--
  EOT
}

resource "aws_launch_template" "gpu" {
  name_prefix = "${var.name}-gpu-"
  description = "URAE GPU instances: gp3 root volume, IMDSv2 only, NVMe instance store mounted at ${local.scratch_host_path}"

  # The ECS GPU AMIs (AL2 and AL2023) boot from /dev/xvda.
  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_type           = "gp3"
      volume_size           = var.root_volume_size_gib
      encrypted             = true
      delete_on_termination = true
    }
  }

  # IMDSv2 only, one hop: containers (one hop further) cannot read the instance role's
  # credentials; they get their job role from the ECS agent instead. Set here, it holds for
  # every AMI type, whatever the AMI's own default.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  user_data = base64encode(local.gpu_user_data)

  tag_specifications {
    resource_type = "volume"
    tags          = merge(local.tags, { Name = "${var.name}-gpu" })
  }

  tags = merge(local.tags, { Name = "${var.name}-gpu" })
}

################################################################################
# Compute environments
################################################################################

# Compute environments are created under a name prefix with create_before_destroy: most
# compute_resources changes (instance types, subnets, tags) replace the environment, and the
# queue must point at the new one before the old one can go.
# One Spot and one on-demand environment per GPU pool (`gpu`, and `large-gpu` when
# large_gpu_instance_types is set), each pool with its own queue.
resource "aws_batch_compute_environment" "gpu_spot" {
  for_each = local.gpu_pools

  compute_environment_name_prefix = "${var.name}-${each.key}-spot-"
  type                            = "MANAGED"
  service_role                    = aws_iam_role.batch_service.arn

  compute_resources {
    type                = "SPOT"
    allocation_strategy = "SPOT_PRICE_CAPACITY_OPTIMIZED"
    instance_type       = each.value.instance_types
    instance_role       = aws_iam_instance_profile.instance.arn
    min_vcpus           = 0
    max_vcpus           = each.value.spot_max_vcpus
    subnets             = var.subnet_ids
    security_group_ids  = local.job_security_group_ids

    ec2_configuration {
      image_type = var.gpu_image_type
    }

    # A fixed version: a new launch template version replaces the environment (Batch does not
    # follow $Latest), which create_before_destroy makes safe.
    launch_template {
      launch_template_id = aws_launch_template.gpu.id
      version            = aws_launch_template.gpu.latest_version
    }

    tags = merge(local.tags, { Name = "${var.name}-${each.key}-spot" })
  }

  tags = merge(local.tags, { Name = "${var.name}-${each.key}-spot" })

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = length(local.unknown_gpu_instance_types) == 0
      error_message = "gpu_instance_types / large_gpu_instance_types: ${join(", ", local.unknown_gpu_instance_types)} unknown to the module; use g5, g6 or g6e sizes, p4d.24xlarge, p4de.24xlarge, p5.48xlarge or p5e.48xlarge (instance_types.tf lists them with their vCPUs, memory and GPUs)."
    }
  }

  depends_on = [aws_iam_role_policy_attachment.batch_service]
}

resource "aws_batch_compute_environment" "gpu_on_demand" {
  for_each = local.gpu_pools

  compute_environment_name_prefix = "${var.name}-${each.key}-od-"
  type                            = "MANAGED"
  service_role                    = aws_iam_role.batch_service.arn

  compute_resources {
    type                = "EC2"
    allocation_strategy = "BEST_FIT_PROGRESSIVE"
    instance_type       = each.value.instance_types
    instance_role       = aws_iam_instance_profile.instance.arn
    min_vcpus           = 0
    max_vcpus           = each.value.on_demand_max_vcpus
    subnets             = var.subnet_ids
    security_group_ids  = local.job_security_group_ids

    ec2_configuration {
      image_type = var.gpu_image_type
    }

    # A fixed version: a new launch template version replaces the environment (Batch does not
    # follow $Latest), which create_before_destroy makes safe.
    launch_template {
      launch_template_id = aws_launch_template.gpu.id
      version            = aws_launch_template.gpu.latest_version
    }

    tags = merge(local.tags, { Name = "${var.name}-${each.key}-on-demand" })
  }

  tags = merge(local.tags, { Name = "${var.name}-${each.key}-on-demand" })

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_iam_role_policy_attachment.batch_service]
}

# Fargate security groups come from the compute environment only, so orchestrators (which reach
# the job repository) and CPU stages (which must not) get an environment and a queue each.
resource "aws_batch_compute_environment" "fargate" {
  compute_environment_name_prefix = "${var.name}-fargate-"
  type                            = "MANAGED"
  service_role                    = aws_iam_role.batch_service.arn

  compute_resources {
    type               = "FARGATE"
    max_vcpus          = var.cpu_stage_max_vcpus
    subnets            = var.subnet_ids
    security_group_ids = local.job_security_group_ids
  }

  tags = merge(local.tags, { Name = "${var.name}-fargate" })

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
    security_group_ids = local.orchestrator_security_group_ids
  }

  tags = merge(local.tags, { Name = "${var.name}-orchestrator" })

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_iam_role_policy_attachment.batch_service]
}

# The GPU environments and queue became one per pool: existing deployments keep theirs.
moved {
  from = aws_batch_compute_environment.gpu_spot
  to   = aws_batch_compute_environment.gpu_spot["gpu"]
}

moved {
  from = aws_batch_compute_environment.gpu_on_demand
  to   = aws_batch_compute_environment.gpu_on_demand["gpu"]
}

moved {
  from = aws_batch_job_queue.gpu
  to   = aws_batch_job_queue.gpu["gpu"]
}

################################################################################
# Job queues
################################################################################

locals {
  # A job that cannot be placed waits in RUNNABLE without an end: too large for every instance
  # type (the precondition on the job definitions catches the module's own), a vCPU limit, or
  # no capacity for the instance types (a GPU quota of 0 looks the same). The queues cancel
  # such jobs after runnable_timeout_seconds; the stage then fails with Batch's reason.
  runnable_time_limits = {
    "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE" = "the compute environment's max vCPUs is below the job's vCPUs"
    "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT"         = "no allowed instance type has the job's vCPUs, memory or GPUs"
    "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"           = "no capacity (or no quota) for the allowed instance types"
  }
}

resource "aws_batch_job_queue" "gpu" {
  for_each = local.gpu_pools

  name     = each.value.queue_name
  state    = "ENABLED"
  priority = 1

  # Batch fills the Spot environment first and places jobs on the on-demand one only when Spot
  # is at spot_max_vcpus. It does not fail over when Spot has no capacity: those jobs wait in
  # RUNNABLE (and are cancelled by the time limit below).
  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.gpu_spot[each.key].arn
  }

  compute_environment_order {
    order               = 2
    compute_environment = aws_batch_compute_environment.gpu_on_demand[each.key].arn
  }

  dynamic "job_state_time_limit_action" {
    for_each = local.runnable_time_limits

    content {
      action           = "CANCEL"
      max_time_seconds = var.runnable_timeout_seconds
      reason           = job_state_time_limit_action.key
      state            = "RUNNABLE"
    }
  }

  tags = merge(local.tags, { Name = each.value.queue_name })
}

resource "aws_batch_job_queue" "cpu" {
  name     = local.cpu_job_queue_name
  state    = "ENABLED"
  priority = 1

  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.fargate.arn
  }

  dynamic "job_state_time_limit_action" {
    for_each = local.runnable_time_limits

    content {
      action           = "CANCEL"
      max_time_seconds = var.runnable_timeout_seconds
      reason           = job_state_time_limit_action.key
      state            = "RUNNABLE"
    }
  }

  tags = merge(local.tags, { Name = local.cpu_job_queue_name })
}

resource "aws_batch_job_queue" "orchestrator" {
  name     = local.orchestrator_job_queue_name
  state    = "ENABLED"
  priority = 1

  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.orchestrator.arn
  }

  dynamic "job_state_time_limit_action" {
    for_each = local.runnable_time_limits

    content {
      action           = "CANCEL"
      max_time_seconds = var.runnable_timeout_seconds
      reason           = job_state_time_limit_action.key
      state            = "RUNNABLE"
    }
  }

  tags = merge(local.tags, { Name = local.orchestrator_job_queue_name })
}

################################################################################
# Logs
################################################################################

# One group for every URAE job: the application names it in failure reasons, and streams are
# prefixed by stage.
resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days

  tags = merge(local.tags, { Name = local.log_group_name })
}

################################################################################
# Job definitions
################################################################################

locals {
  # What every container needs to find the store and the other jobs (names: docs/aws.md,
  # Spring relaxed binding of `urae.*`). Workers get no database settings and no secret.
  worker_environment = merge(
    {
      SPRING_PROFILES_ACTIVE               = "aws"
      URAE_STORE                           = local.store_uri
      URAE_AWS_REGION                      = local.region
      URAE_AWS_BATCH_JOBQUEUE_DEFAULT      = local.cpu_job_queue_name
      URAE_AWS_BATCH_JOBDEFINITION_DEFAULT = local.job_definition_names["default"]
      URAE_AWS_BATCH_TIMEOUT_DEFAULT       = tostring(var.cpu_stage.timeout_seconds)
      URAE_AWS_BATCH_ATTEMPTS              = tostring(var.job_attempts)
      URAE_AWS_BATCH_LOGGROUP              = local.log_group_name
      # The lines that say what was submitted, polled and retried are INFO (logback.xml).
      LOGGING_LEVEL_DEV_URAE = var.root_logging_level
    },
    merge([
      for stage, config in var.stages : {
        "URAE_AWS_BATCH_JOBQUEUE_${upper(stage)}"      = local.stage_job_queue_names[stage]
        "URAE_AWS_BATCH_JOBDEFINITION_${upper(stage)}" = local.job_definition_names[stage]
        "URAE_AWS_BATCH_TIMEOUT_${upper(stage)}"       = tostring(config.timeout_seconds)
      }
    ]...),
  )

  # The orchestrator and `urae watch` also hold the job repository and the manifest queue.
  application_environment = merge(
    local.worker_environment,
    {
      SPRING_DATASOURCE_URL      = local.database_jdbc_url
      SPRING_DATASOURCE_USERNAME = local.database_app_username
      URAE_DATABASE_SECRETID     = local.database_app_secret_name
      URAE_WATCH_PREFIX          = local.manifests_key_prefix
      URAE_WATCH_SUFFIX          = var.manifests_suffix
    },
    var.enable_sqs_trigger ? { URAE_WATCH_QUEUEURL = aws_sqs_queue.manifests[0].url } : {},
  )

  worker_container_environment = [
    for key in sort(keys(local.worker_environment)) : { name = key, value = local.worker_environment[key] }
  ]
  orchestrator_container_environment = [
    for key in sort(keys(local.application_environment)) : { name = key, value = local.application_environment[key] }
  ]

  # Batch retries when the host went away (Spot reclaim, instance failure) and when the image
  # could not be pulled (a registry or network hiccup on a fresh instance); any other failure
  # is the application's to handle and exits at once. The executor sends the same strategy
  # with every SubmitJob (AwsBatchConfig); this is the fallback for jobs submitted by hand.
  evaluate_on_exit = [
    { on_status_reason = "Host EC2*", action = "RETRY" },
    { on_status_reason = "CannotPullContainerError*", action = "RETRY" },
    { on_status_reason = "DockerTimeoutError*", action = "RETRY" },
    { on_reason = "*", action = "EXIT" },
  ]

  fargate_container_properties = {
    executionRoleArn             = aws_iam_role.execution.arn
    networkConfiguration         = { assignPublicIp = var.fargate_assign_public_ip ? "ENABLED" : "DISABLED" }
    fargatePlatformConfiguration = { platformVersion = "LATEST" }
  }

  # GPU stages: task scratch (java.io.tmpdir) on the instance store the launch template mounts;
  # the heap keeps to 40% of the container's memory because libtorch's tensors live outside it.
  gpu_java_opts = "-XX:MaxRAMPercentage=40 -Djava.io.tmpdir=/scratch"
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
    jobRoleArn       = aws_iam_role.worker.arn
    executionRoleArn = aws_iam_role.execution.arn
    resourceRequirements = concat(
      [
        { type = "VCPU", value = tostring(each.value.vcpus) },
        { type = "MEMORY", value = tostring(each.value.memory_mib) },
      ],
      each.value.gpus > 0 ? [{ type = "GPU", value = tostring(each.value.gpus) }] : [],
    )
    # ECS sets NVIDIA_VISIBLE_DEVICES to the GPUs it reserved for the job (the image sets none);
    # a stage without GPUs on a GPU host is told explicitly that it has none.
    environment = concat(
      local.worker_container_environment,
      [{ name = "JAVA_OPTS", value = local.gpu_java_opts }],
      each.value.gpus > 0 ? [] : [{ name = "NVIDIA_VISIBLE_DEVICES", value = "void" }],
    )
    volumes     = [{ name = "scratch", host = { sourcePath = local.scratch_host_path } }]
    mountPoints = [{ sourceVolume = "scratch", containerPath = "/scratch", readOnly = false }]
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

  tags = merge(local.tags, { Name = local.job_definition_names[each.key], Stage = each.key })

  lifecycle {
    precondition {
      condition     = length(local.stage_fitting_instance_types[each.key]) > 0
      error_message = "stages.${each.key} asks for ${each.value.vcpus} vCPUs, ${each.value.memory_mib} MiB and ${each.value.gpus} GPUs, more than any instance type of its pool \"${each.value.pool}\" (${join(", ", local.stage_instance_types[each.key])}) offers; the largest has ${local.stage_largest_instance[each.key]}. Its jobs would wait in RUNNABLE: lower the stage's resources or allow a larger instance type (g6e, p4d, p5)."
    }

    # A stage on a GPU smaller than its memory plan would start, load and be refused by its
    # memory check on every attempt: each type of its pool must have the GPU memory it needs.
    precondition {
      condition     = length(local.stage_small_gpu_instance_types[each.key]) == 0
      error_message = "stages.${each.key} needs ${each.value.min_gpu_memory_gib} GB of GPU memory (min_gpu_memory_gib) but its pool \"${each.value.pool}\" allows ${join(", ", [for t in local.stage_small_gpu_instance_types[each.key] : "${t} (${local.gpu_instance_catalog[t].gpu})"])}: its memory check would refuse every job placed there. Put the stage on the large-gpu pool (pool = \"large-gpu\", large_gpu_instance_types = [\"p4de.24xlarge\", \"p5.48xlarge\"]) or remove the smaller types."
    }
  }
}

# Stages that need no GPU (ingest, report) run the same CLI from the small image on Fargate.
resource "aws_batch_job_definition" "default" {
  name                  = local.job_definition_names["default"]
  type                  = "container"
  platform_capabilities = ["FARGATE"]
  propagate_tags        = true

  parameters = { spec = "" }

  container_properties = jsonencode(merge(local.fargate_container_properties, {
    image       = "${aws_ecr_repository.this["orchestrator"].repository_url}:${var.image_tag}"
    command     = ["urae", "worker", "--spec", "Ref::spec"]
    jobRoleArn  = aws_iam_role.worker.arn
    environment = local.worker_container_environment
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

  tags = merge(local.tags, { Name = local.job_definition_names["default"], Stage = "default" })
}

resource "aws_batch_job_definition" "orchestrator" {
  name                  = local.job_definition_names["orchestrator"]
  type                  = "container"
  platform_capabilities = ["FARGATE"]
  propagate_tags        = true

  # EventBridge and Scheduler pass the manifest URI as the `manifest` parameter.
  parameters = { manifest = "" }

  container_properties = jsonencode(merge(local.fargate_container_properties, {
    image            = "${aws_ecr_repository.this["orchestrator"].repository_url}:${var.image_tag}"
    command          = ["urae", "run", "Ref::manifest"]
    jobRoleArn       = aws_iam_role.orchestrator.arn
    executionRoleArn = aws_iam_role.execution.arn
    environment      = local.orchestrator_container_environment
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

  tags = merge(local.tags, { Name = local.job_definition_names["orchestrator"], Stage = "orchestrator" })
}

# One-off, by hand (output `database_bootstrap_command`): as the database owner, the job
# repository's tables and the application user with row rights on them only. Runs on the
# orchestrators' queue (their security group reaches the database); after a new application
# password (`database_app_password_version`) it is run again.
resource "aws_batch_job_definition" "database_bootstrap" {
  name                  = "${var.name}-database-bootstrap"
  type                  = "container"
  platform_capabilities = ["FARGATE"]
  propagate_tags        = true

  container_properties = jsonencode(merge(local.fargate_container_properties, {
    image      = "${aws_ecr_repository.this["orchestrator"].repository_url}:${var.image_tag}"
    command    = ["urae", "database", "bootstrap"]
    jobRoleArn = aws_iam_role.database_bootstrap.arn
    environment = [for key, value in {
      SPRING_DATASOURCE_URL       = local.database_jdbc_url
      URAE_DATABASE_OWNERSECRETID = local.database_secret_arn
      URAE_DATABASE_OWNERUSER     = local.database_username
      URAE_DATABASE_SECRETID      = local.database_app_secret_name
      URAE_AWS_REGION             = local.region
      LOGGING_LEVEL_DEV_URAE      = var.root_logging_level
    } : { name = key, value = value }]
    resourceRequirements = [
      { type = "VCPU", value = "0.25" },
      { type = "MEMORY", value = "1024" },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = local.region
        awslogs-stream-prefix = "database-bootstrap"
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
    attempt_duration_seconds = 900
  }

  tags = merge(local.tags, { Name = "${var.name}-database-bootstrap", Stage = "database-bootstrap" })
}
