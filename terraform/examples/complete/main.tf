provider "aws" {
  region = var.region
}

locals {
  tags = {
    Project   = "urae"
    ManagedBy = "terraform"
    Example   = "complete"
  }
}

module "urae" {
  source = "../../modules/urae"

  name       = var.name
  vpc_id     = var.vpc_id
  subnet_ids = var.private_subnet_ids
  image_tag  = var.image_tag

  # Private subnets without a NAT gateway: the module creates the endpoints jobs need. With a
  # NAT gateway, set create_vpc_endpoints = false.
  create_vpc_endpoints         = var.create_vpc_endpoints
  vpc_endpoint_route_table_ids = var.private_route_table_ids

  # The real FLUX.1 recipe: cache and render fit one 48 GB L40S (g6e); the 2K adapt stage's
  # memory plan (51.4 GiB: bf16 weights, float32 activations) needs the 80 GB A100 of p4de, and
  # its memory check refuses a g6e before loading (teacher and report are CPU-only and run on
  # Fargate). Every stage below fits g6e.2xlarge (8 vCPUs, 64 GiB);
  # the module refuses a plan where a stage fits no allowed type.
  gpu_instance_types   = ["g6e.xlarge", "g6e.2xlarge", "g6e.4xlarge", "p4de.24xlarge"]
  spot_max_vcpus       = 256
  on_demand_max_vcpus  = 32
  root_volume_size_gib = 200

  stages = {
    cache = { vcpus = 4, memory_mib = 28000, timeout_seconds = 7200 }
    # Training one 2K adapter: one GPU, more host memory for loading the frozen transformer.
    adapt  = { vcpus = 8, memory_mib = 60000, timeout_seconds = 86400 }
    render = { vcpus = 4, memory_mib = 28000, timeout_seconds = 14400 }
  }

  schedules = var.nightly_manifest_uri == null ? {} : {
    nightly = {
      schedule_expression = "cron(0 2 * * ? *)"
      manifest_uri        = var.nightly_manifest_uri
    }
  }

  alarm_actions = var.alarm_topic_arn == null ? [] : [var.alarm_topic_arn]
  budget = var.monthly_budget_usd == null ? null : {
    monthly_limit_usd = var.monthly_budget_usd
    emails            = var.budget_emails
  }

  tags = local.tags
}
