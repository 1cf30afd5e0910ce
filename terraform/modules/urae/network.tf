################################################################################
# VPC endpoints: jobs in private subnets without a NAT gateway
################################################################################

# Every AWS API a job, the ECS agent or Batch's instances call. Without a NAT gateway and
# without these, GPU instances never register with ECS and jobs wait in RUNNABLE; Fargate tasks
# fail with CannotPullContainerError. One interface endpoint costs about 7.3 USD a month per
# availability zone (docs/aws-costs.md); a NAT gateway about 33 USD plus data processing.
locals {
  interface_endpoint_services = var.create_vpc_endpoints ? toset([
    "ecr.api", "ecr.dkr", "ecs", "ecs-agent", "ecs-telemetry", "logs", "secretsmanager", "sqs", "batch",
  ]) : toset([])
}

resource "aws_security_group" "endpoints" {
  count = var.create_vpc_endpoints ? 1 : 0

  name        = "${var.name}-endpoints"
  description = "URAE VPC interface endpoints: HTTPS from URAE jobs and orchestrators"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-endpoints" })
}

resource "aws_vpc_security_group_ingress_rule" "endpoints" {
  for_each = var.create_vpc_endpoints ? {
    jobs         = aws_security_group.jobs.id
    orchestrator = aws_security_group.orchestrator.id
  } : {}

  security_group_id            = aws_security_group.endpoints[0].id
  description                  = "HTTPS from URAE ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = each.value

  tags = merge(local.tags, { Name = "${var.name}-endpoints-from-${each.key}" })
}

resource "aws_vpc_endpoint" "interface" {
  for_each = local.interface_endpoint_services

  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.endpoints[0].id]
  private_dns_enabled = true

  tags = merge(local.tags, { Name = "${var.name}-${each.key}" })
}

# S3 (images' layers from ECR live in S3 too) through a gateway endpoint: free, on the subnets'
# route tables.
resource "aws_vpc_endpoint" "s3" {
  count = var.create_vpc_endpoints ? 1 : 0

  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.vpc_endpoint_route_table_ids

  tags = merge(local.tags, { Name = "${var.name}-s3" })

  lifecycle {
    precondition {
      condition     = length(var.vpc_endpoint_route_table_ids) > 0
      error_message = "create_vpc_endpoints needs vpc_endpoint_route_table_ids: the route tables of subnet_ids, which get the S3 gateway endpoint."
    }
  }
}
