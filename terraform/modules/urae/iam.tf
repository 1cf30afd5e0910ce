################################################################################
# Batch service role
################################################################################

data "aws_iam_policy_document" "assume" {
  for_each = {
    batch     = "batch.amazonaws.com"
    ec2       = "ec2.amazonaws.com"
    ecs_tasks = "ecs-tasks.amazonaws.com"
    events    = "events.amazonaws.com"
    scheduler = "scheduler.amazonaws.com"
  }

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [each.value]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "batch_service" {
  name               = "${var.name}-batch-service"
  description        = "AWS Batch manages the URAE compute environments with this role"
  assume_role_policy = data.aws_iam_policy_document.assume["batch"].json

  tags = merge(local.tags, { Name = "${var.name}-batch-service" })
}

resource "aws_iam_role_policy_attachment" "batch_service" {
  role       = aws_iam_role.batch_service.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSBatchServiceRole"
}

################################################################################
# Instance role: the ECS agent on GPU instances
################################################################################

resource "aws_iam_role" "instance" {
  name        = "${var.name}-instance"
  description = "ECS container agent on URAE GPU instances"
  # EC2 does not send aws:SourceAccount when it assumes an instance role.
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })

  tags = merge(local.tags, { Name = "${var.name}-instance" })
}

resource "aws_iam_role_policy_attachment" "instance" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "instance" {
  name = "${var.name}-instance"
  role = aws_iam_role.instance.name

  tags = merge(local.tags, { Name = "${var.name}-instance" })
}

################################################################################
# Execution role: ECS pulls images and writes logs. No container gets a secret from ECS:
# orchestrators read the application's database secret themselves, at connection time
################################################################################

data "aws_iam_policy_document" "execution" {
  statement {
    sid = "PullImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = local.ecr_repository_arns
  }

  statement {
    sid = "EcrLogin"
    # GetAuthorizationToken has no resource-level permissions.
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:*"]
  }
}

# Only the one-off `urae database bootstrap` job reads the owner's (RDS master) password.
data "aws_iam_policy_document" "database_bootstrap" {
  statement {
    sid       = "ReadApplicationDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.database_app_secret_arn_pattern]
  }

  statement {
    sid       = "ReadOwnerDatabasePassword"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.database_secret_arn_pattern]

    # RDS names its managed secret `rds!cluster-<uuid>`, unknown until the cluster exists; the
    # tag RDS puts on it ties the permission to this cluster only.
    dynamic "condition" {
      for_each = var.create_database ? [1] : []

      content {
        test     = "StringEquals"
        variable = "secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn"
        values   = [local.database_cluster_arn]
      }
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  description        = "ECS starts URAE containers with this role (images and logs, no secrets)"
  assume_role_policy = data.aws_iam_policy_document.assume["ecs_tasks"].json

  tags = merge(local.tags, { Name = "${var.name}-execution" })
}

resource "aws_iam_role_policy" "execution" {
  name   = "execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

################################################################################
# Worker role: what a stage's task may do (its run's objects and the shared cache)
################################################################################

data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "ListRunsAndCache"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = flatten([for p in local.worker_key_prefixes : [p, "${p}*"]])
    }
  }

  statement {
    sid = "ReadWriteRunsAndCache"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
    ]
    resources = [for p in local.worker_key_prefixes : "${local.bucket_arn}/${p}*"]
  }

  dynamic "statement" {
    for_each = local.model_locations

    content {
      sid       = "ListModel${statement.key}"
      actions   = ["s3:ListBucket"]
      resources = [statement.value.bucket_arn]

      condition {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = [statement.value.prefix, "${statement.value.prefix}*"]
      }
    }
  }

  dynamic "statement" {
    for_each = local.model_locations

    content {
      sid       = "ReadModel${statement.key}"
      actions   = ["s3:GetObject"]
      resources = ["${statement.value.bucket_arn}/${statement.value.prefix}*"]
    }
  }
}

resource "aws_iam_role" "worker" {
  name               = "${var.name}-worker"
  description        = "URAE stage tasks run with this role: runs/ and cache/ of the store, nothing else"
  assume_role_policy = data.aws_iam_policy_document.assume["ecs_tasks"].json

  tags = merge(local.tags, { Name = "${var.name}-worker" })
}

resource "aws_iam_role_policy" "worker" {
  name   = "worker"
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}

################################################################################
# Orchestrator role: `urae run` and `urae watch`
################################################################################

data "aws_iam_policy_document" "orchestrator" {
  statement {
    sid       = "ListStagePrefixes"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = flatten([for p in local.stage_key_prefixes : [p, "${p}*"]])
    }
  }

  statement {
    sid = "ReadWriteStagePrefixes"
    actions = [
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
    ]
    resources = [for p in local.stage_key_prefixes : "${local.bucket_arn}/${p}*"]
  }

  dynamic "statement" {
    for_each = local.model_locations

    content {
      sid       = "ListModel${statement.key}"
      actions   = ["s3:ListBucket"]
      resources = [statement.value.bucket_arn]

      condition {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = [statement.value.prefix, "${statement.value.prefix}*"]
      }
    }
  }

  # The launch reads the configs and safetensors headers (ranged GETs) to check the run against the
  # model; IAM cannot limit a read to a range, so the whole prefix is readable, read-only.
  dynamic "statement" {
    for_each = local.model_locations

    content {
      sid       = "ReadModelHeaders${statement.key}"
      actions   = ["s3:GetObject"]
      resources = ["${statement.value.bucket_arn}/${statement.value.prefix}*"]
    }
  }

  statement {
    sid     = "SubmitStageJobs"
    actions = ["batch:SubmitJob"]
    resources = concat(
      [local.gpu_job_queue_arn, local.cpu_job_queue_arn],
      [for stage, arn in local.job_definition_arn_prefixes : "${arn}:*" if stage != "orchestrator"],
    )
  }

  statement {
    sid = "TagJobsAtSubmit"
    # SubmitJob with tags (`urae:run`, `urae:stage`) needs TagResource on the new job; only
    # requests carrying the run tag are allowed.
    actions   = ["batch:TagResource"]
    resources = ["arn:${local.partition}:batch:${local.region}:${local.account_id}:job/*"]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/urae:run"
      values   = ["false"]
    }
  }

  statement {
    sid = "StopUraeJobs"
    # A job's ARN names neither its queue nor its definition; the tag every URAE submission
    # carries limits stopping to URAE's own jobs.
    actions   = ["batch:TerminateJob", "batch:CancelJob"]
    resources = ["arn:${local.partition}:batch:${local.region}:${local.account_id}:job/*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/urae:run"
      values   = ["false"]
    }
  }

  statement {
    sid = "ObserveJobs"
    # Describe and List have no resource-level permissions in AWS Batch.
    actions   = ["batch:DescribeJobs", "batch:ListJobs", "batch:DescribeJobQueues", "batch:DescribeJobDefinitions"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadApplicationDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.database_app_secret_arn_pattern]
  }

  dynamic "statement" {
    for_each = var.enable_sqs_trigger ? [1] : []

    content {
      sid = "ConsumeManifestQueue"
      actions = [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes",
      ]
      resources = [local.manifests_queue_arn]
    }
  }
}

resource "aws_iam_role" "database_bootstrap" {
  name               = "${var.name}-database-bootstrap"
  description        = "urae database bootstrap runs with this role: the owner's and the application's database secrets"
  assume_role_policy = data.aws_iam_policy_document.assume["ecs_tasks"].json

  tags = merge(local.tags, { Name = "${var.name}-database-bootstrap" })
}

resource "aws_iam_role_policy" "database_bootstrap" {
  name   = "database-bootstrap"
  role   = aws_iam_role.database_bootstrap.id
  policy = data.aws_iam_policy_document.database_bootstrap.json
}

resource "aws_iam_role" "orchestrator" {
  name               = "${var.name}-orchestrator"
  description        = "URAE orchestrators (urae run, urae watch) run with this role"
  assume_role_policy = data.aws_iam_policy_document.assume["ecs_tasks"].json

  tags = merge(local.tags, { Name = "${var.name}-orchestrator" })
}

resource "aws_iam_role_policy" "orchestrator" {
  name   = "orchestrator"
  role   = aws_iam_role.orchestrator.id
  policy = data.aws_iam_policy_document.orchestrator.json
}

################################################################################
# Trigger roles: EventBridge and Scheduler submit the orchestrator
################################################################################

data "aws_iam_policy_document" "submit_orchestrator" {
  statement {
    actions = ["batch:SubmitJob"]
    resources = [
      local.orchestrator_job_queue_arn,
      "${local.job_definition_arn_prefixes["orchestrator"]}:*",
    ]
  }
}

resource "aws_iam_role" "events" {
  count = var.enable_eventbridge_trigger ? 1 : 0

  name               = "${var.name}-events"
  description        = "EventBridge submits the URAE orchestrator for uploaded manifests"
  assume_role_policy = data.aws_iam_policy_document.assume["events"].json

  tags = merge(local.tags, { Name = "${var.name}-events" })
}

resource "aws_iam_role_policy" "events" {
  count = var.enable_eventbridge_trigger ? 1 : 0

  name   = "submit-orchestrator"
  role   = aws_iam_role.events[0].id
  policy = data.aws_iam_policy_document.submit_orchestrator.json
}

resource "aws_iam_role" "scheduler" {
  count = length(var.schedules) > 0 ? 1 : 0

  name               = "${var.name}-scheduler"
  description        = "EventBridge Scheduler submits the URAE orchestrator on schedules"
  assume_role_policy = data.aws_iam_policy_document.assume["scheduler"].json

  tags = merge(local.tags, { Name = "${var.name}-scheduler" })
}

resource "aws_iam_role_policy" "scheduler" {
  count = length(var.schedules) > 0 ? 1 : 0

  name   = "submit-orchestrator"
  role   = aws_iam_role.scheduler[0].id
  policy = data.aws_iam_policy_document.submit_orchestrator.json
}
