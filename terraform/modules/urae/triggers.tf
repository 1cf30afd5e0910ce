################################################################################
# S3 -> SQS: manifests for `urae watch`
################################################################################

locals {
  # Queue ARNs are built from names so that each queue carries its policy from the moment it
  # exists: S3 checks that it may send when the bucket notification is created, and a separate
  # policy resource would add another round of attribute propagation on every apply.
  manifests_queue_name       = "${var.name}-manifests"
  manifests_dlq_name         = "${var.name}-manifests-dlq"
  manifests_queue_arn        = "arn:${local.partition}:sqs:${local.region}:${local.account_id}:${local.manifests_queue_name}"
  manifests_dlq_arn          = "arn:${local.partition}:sqs:${local.region}:${local.account_id}:${local.manifests_dlq_name}"
  manifest_uploaded_rule     = "${var.name}-manifest-uploaded"
  manifest_uploaded_rule_arn = "arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${local.manifest_uploaded_rule}"
}

data "aws_iam_policy_document" "manifests_dlq" {
  count = var.enable_sqs_trigger || var.enable_eventbridge_trigger ? 1 : 0

  dynamic "statement" {
    for_each = var.enable_eventbridge_trigger ? [1] : []

    # Submissions EventBridge could not make land here, next to undeliverable notifications.
    content {
      sid       = "AllowEventBridgeDeadLetters"
      actions   = ["sqs:SendMessage"]
      resources = [local.manifests_dlq_arn]

      principals {
        type        = "Service"
        identifiers = ["events.amazonaws.com"]
      }

      condition {
        test     = "ArnEquals"
        variable = "aws:SourceArn"
        values   = [local.manifest_uploaded_rule_arn]
      }
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [local.manifests_dlq_arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue" "manifests_dlq" {
  count = var.enable_sqs_trigger || var.enable_eventbridge_trigger ? 1 : 0

  name                      = local.manifests_dlq_name
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  policy                    = data.aws_iam_policy_document.manifests_dlq[0].json

  tags = merge(local.tags, { Name = local.manifests_dlq_name })
}

data "aws_iam_policy_document" "manifests_queue" {
  count = var.enable_sqs_trigger ? 1 : 0

  statement {
    sid       = "AllowBucketNotifications"
    actions   = ["sqs:SendMessage"]
    resources = [local.manifests_queue_arn]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.bucket_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [local.manifests_queue_arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue" "manifests" {
  count = var.enable_sqs_trigger ? 1 : 0

  name                       = local.manifests_queue_name
  visibility_timeout_seconds = var.queue_visibility_timeout_seconds
  message_retention_seconds  = 345600
  receive_wait_time_seconds  = 20
  sqs_managed_sse_enabled    = true
  policy                     = data.aws_iam_policy_document.manifests_queue[0].json

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.manifests_dlq[0].arn
    maxReceiveCount     = var.queue_max_receive_count
  })

  tags = merge(local.tags, { Name = local.manifests_queue_name })
}

resource "aws_s3_bucket_notification" "this" {
  count = var.enable_sqs_trigger || var.enable_eventbridge_trigger ? 1 : 0

  bucket      = aws_s3_bucket.this.id
  eventbridge = var.enable_eventbridge_trigger

  dynamic "queue" {
    for_each = var.enable_sqs_trigger ? [1] : []

    content {
      id            = "manifests"
      queue_arn     = aws_sqs_queue.manifests[0].arn
      events        = ["s3:ObjectCreated:*"]
      filter_prefix = local.manifests_key_prefix
      filter_suffix = var.manifests_suffix
    }
  }

  # S3 sends a test message when the notification is created; the queue (with its policy)
  # must exist first, which the reference to its ARN ensures.
}

################################################################################
# S3 -> EventBridge -> Batch: the orchestrator without a server
################################################################################

resource "aws_cloudwatch_event_rule" "manifest_uploaded" {
  count = var.enable_eventbridge_trigger ? 1 : 0

  name        = local.manifest_uploaded_rule
  description = "A manifest was uploaded under ${local.manifests_key_prefix}: run the URAE orchestrator"

  event_pattern = jsonencode({
    source      = ["aws.s3"]
    detail-type = ["Object Created"]
    detail = {
      bucket = { name = [aws_s3_bucket.this.id] }
      object = { key = [{ wildcard = "${local.manifests_key_prefix}*${var.manifests_suffix}" }] }
    }
  })

  tags = merge(local.tags, { Name = local.manifest_uploaded_rule })
}

resource "aws_cloudwatch_event_target" "manifest_uploaded" {
  count = var.enable_eventbridge_trigger ? 1 : 0

  rule     = aws_cloudwatch_event_rule.manifest_uploaded[0].name
  arn      = aws_batch_job_queue.orchestrator.arn
  role_arn = aws_iam_role.events[0].arn

  batch_target {
    job_definition = aws_batch_job_definition.orchestrator.arn
    job_name       = "${var.name}-orchestrator"
  }

  # Batch receives the transformed input as SubmitJob fields: the manifest URI becomes the
  # job definition's `manifest` parameter (`Ref::manifest` in its command).
  input_transformer {
    input_paths = {
      bucket = "$.detail.bucket.name"
      key    = "$.detail.object.key"
    }
    input_template = <<-EOT
      {"Parameters": {"manifest": "s3://<bucket>/<key>"}}
    EOT
  }

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 10
  }

  dead_letter_config {
    arn = aws_sqs_queue.manifests_dlq[0].arn
  }
}

################################################################################
# EventBridge Scheduler -> Batch: manifests run on a schedule
################################################################################

resource "aws_scheduler_schedule_group" "this" {
  count = length(var.schedules) > 0 ? 1 : 0

  name = var.name

  tags = merge(local.tags, { Name = var.name })
}

resource "aws_scheduler_schedule" "this" {
  for_each = var.schedules

  name                         = each.key
  group_name                   = aws_scheduler_schedule_group.this[0].name
  schedule_expression          = each.value.schedule_expression
  schedule_expression_timezone = each.value.timezone
  state                        = each.value.enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    # Universal target: Scheduler calls Batch SubmitJob with this input.
    arn      = "arn:${local.partition}:scheduler:::aws-sdk:batch:submitJob"
    role_arn = aws_iam_role.scheduler[0].arn
    input = jsonencode({
      JobName       = "${var.name}-${each.key}"
      JobQueue      = aws_batch_job_queue.orchestrator.arn
      JobDefinition = aws_batch_job_definition.orchestrator.arn
      Parameters    = { manifest = each.value.manifest_uri }
    })

    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 5
    }
  }
}
