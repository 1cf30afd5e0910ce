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

  # The real FLUX.1 recipe (memory plan, `urae plan --model flux-dev`): cache and render (4K
  # sampling: 39.6 GiB) fit one 48 GB L40S (g6e) and stay on the `gpu` pool; the 4K adapt stage
  # needs 69.4 GiB (bf16 with checkpointing), so it gets the `large-gpu` pool of 80 GB A100 (p4de) and
  # H100 (p5) instances, whose own queue no g6e can serve. min_gpu_memory_gib makes the module
  # refuse a plan that would put a stage on a GPU its memory check refuses. Teacher and report
  # are CPU-only and run on Fargate.
  gpu_instance_types       = ["g6e.xlarge", "g6e.2xlarge", "g6e.4xlarge"]
  spot_max_vcpus           = 64
  on_demand_max_vcpus      = 32
  large_gpu_instance_types = ["p4de.24xlarge", "p5.48xlarge"]
  root_volume_size_gib     = 200

  stages = {
    cache = { vcpus = 4, memory_mib = 28000, timeout_seconds = 7200, min_gpu_memory_gib = 48 }
    # Training (4K minor components: 69.4 GiB): one 80 GB GPU, more host memory for loading the frozen transformer.
    adapt  = { vcpus = 8, memory_mib = 60000, timeout_seconds = 86400, pool = "large-gpu", min_gpu_memory_gib = 80 }
    render = { vcpus = 4, memory_mib = 28000, timeout_seconds = 14400, min_gpu_memory_gib = 48 }
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
