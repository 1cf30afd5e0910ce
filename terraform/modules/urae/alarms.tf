################################################################################
# Alarms: manifests that could not be run, and the month's spend
################################################################################

# A message in the dead-letter queue is an upload that never became a run (unreadable event,
# or an EventBridge submission that failed for an hour): someone has to look at it.
resource "aws_cloudwatch_metric_alarm" "manifests_dlq" {
  count = var.enable_sqs_trigger || var.enable_eventbridge_trigger ? 1 : 0

  alarm_name          = "${var.name}-manifests-dlq-not-empty"
  alarm_description   = "Manifest uploads in ${local.manifests_dlq_name} did not start a run; read the messages (docs/aws.md, Dead letters)"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = local.manifests_dlq_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions

  tags = merge(local.tags, { Name = "${var.name}-manifests-dlq-not-empty" })
}

# Costs of every resource tagged urae:environment = <name> (instances, volumes, Fargate tasks,
# the database, endpoints, storage), once that tag is an active cost allocation tag.
resource "aws_budgets_budget" "this" {
  count = var.budget == null ? 0 : 1

  name         = "${var.name}-monthly"
  budget_type  = "COST"
  limit_amount = format("%.2f", var.budget.monthly_limit_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = [format("user:%s$%s", local.cost_tag_key, var.name)]
  }

  dynamic "notification" {
    for_each = var.budget.alert_at_percent

    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value
      threshold_type             = "PERCENTAGE"
      notification_type          = "ACTUAL"
      subscriber_email_addresses = var.budget.emails
    }
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = var.budget.forecast_alert_at_pct
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = var.budget.emails
  }

  tags = merge(local.tags, { Name = "${var.name}-monthly" })
}
