# The URAE environment against an AWS emulator, as the integration tests apply it. Every
# service the module calls is routed to `endpoint_url` with dummy credentials; nothing here
# can reach a real AWS account.
provider "aws" {
  region     = "us-east-1"
  access_key = "test"
  secret_key = "test"

  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = false
  s3_use_path_style           = true

  endpoints {
    batch          = var.endpoint_url
    cloudwatch     = var.endpoint_url
    cloudwatchlogs = var.endpoint_url
    ec2            = var.endpoint_url
    ecr            = var.endpoint_url
    events         = var.endpoint_url
    iam            = var.endpoint_url
    rds            = var.endpoint_url
    s3             = var.endpoint_url
    scheduler      = var.endpoint_url
    secretsmanager = var.endpoint_url
    sqs            = var.endpoint_url
    sts            = var.endpoint_url
  }
}

locals {
  name = "urae-emu"

  tags = {
    Project     = "urae"
    Environment = "emulator"
    ManagedBy   = "terraform"
  }
}

################################################################################
# A small VPC: two subnets in two availability zones (Aurora needs two)
################################################################################

data "aws_caller_identity" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "this" {
  cidr_block           = "10.42.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.tags, { Name = local.name })
}

resource "aws_subnet" "private" {
  count = 2

  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]

  tags = merge(local.tags, { Name = "${local.name}-private-${count.index}" })
}

################################################################################
# URAE with the module's production defaults
################################################################################

module "urae" {
  source = "../../modules/urae"

  name       = local.name
  vpc_id     = aws_vpc.this.id
  subnet_ids = aws_subnet.private[*].id

  # Exercises EventBridge Scheduler; production environments choose their own.
  schedules = {
    nightly-demo = {
      schedule_expression = "cron(0 3 * * ? *)"
      manifest_uri        = "s3://${local.name}-data-${data.aws_caller_identity.current.account_id}/urae/incoming/nightly.jsonl"
    }
  }

  # Runs may name this checkpoint with --model s3://urae-emu-models/flux1-dev/.
  model_uris = ["s3://urae-emu-models/flux1-dev/"]

  # A test environment is disposable: destroy must leave nothing behind, so the bucket and
  # repositories may be deleted with content and the cluster without a final snapshot.
  force_destroy                = true
  database_deletion_protection = false
  database_skip_final_snapshot = true

  tags = local.tags
}
