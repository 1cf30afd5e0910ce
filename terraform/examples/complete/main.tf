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

  # Spot carries the bulk; on-demand is the fallback when Spot capacity is short.
  gpu_instance_types  = ["g5.xlarge", "g5.2xlarge", "g6.xlarge", "g6.2xlarge"]
  spot_max_vcpus      = 256
  on_demand_max_vcpus = 32

  stages = {
    teacher = { vcpus = 4, memory_mib = 15000, timeout_seconds = 14400 }
    cache   = { vcpus = 4, memory_mib = 15000, timeout_seconds = 7200 }
    # Training one 2K adapter: one GPU, bigger host memory for the frozen transformer.
    adapt  = { vcpus = 8, memory_mib = 60000, timeout_seconds = 86400 }
    render = { vcpus = 4, memory_mib = 15000, timeout_seconds = 14400 }
  }

  schedules = var.nightly_manifest_uri == null ? {} : {
    nightly = {
      schedule_expression = "cron(0 2 * * ? *)"
      manifest_uri        = var.nightly_manifest_uri
    }
  }

  tags = local.tags
}
