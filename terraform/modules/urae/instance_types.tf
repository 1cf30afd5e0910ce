################################################################################
# GPU instance types the module knows: what a job definition may ask of them
################################################################################

locals {
  # vCPUs, memory (GiB) and GPUs of each instance type the GPU compute environments may launch
  # (EC2 instance type pages, 2025). A job larger than every allowed type would wait in
  # RUNNABLE forever; the precondition on the job definitions refuses such a plan instead.
  gpu_instance_catalog = merge(
    {
      for family, gpu in { g5 = "A10G 24 GB", g6 = "L4 24 GB" } : "${family}.xlarge" => { vcpus = 4, memory_gib = 16, gpus = 1, gpu = gpu }
    },
    {
      for pair in setproduct(["g5", "g6"], [
        ["2xlarge", 8, 32, 1], ["4xlarge", 16, 64, 1], ["8xlarge", 32, 128, 1], ["12xlarge", 48, 192, 4],
        ["16xlarge", 64, 256, 1], ["24xlarge", 96, 384, 4], ["48xlarge", 192, 768, 8],
      ]) : "${pair[0]}.${pair[1][0]}" => { vcpus = pair[1][1], memory_gib = pair[1][2], gpus = pair[1][3], gpu = pair[0] == "g5" ? "A10G 24 GB" : "L4 24 GB" }
    },
    {
      for size in [
        ["xlarge", 4, 32, 1], ["2xlarge", 8, 64, 1], ["4xlarge", 16, 128, 1], ["8xlarge", 32, 256, 1],
        ["12xlarge", 48, 384, 4], ["16xlarge", 64, 512, 1], ["24xlarge", 96, 768, 4], ["48xlarge", 192, 1536, 8],
      ] : "g6e.${size[0]}" => { vcpus = size[1], memory_gib = size[2], gpus = size[3], gpu = "L40S 48 GB" }
    },
    {
      "p4d.24xlarge"  = { vcpus = 96, memory_gib = 1152, gpus = 8, gpu = "A100 40 GB" }
      "p4de.24xlarge" = { vcpus = 96, memory_gib = 1152, gpus = 8, gpu = "A100 80 GB" }
      "p5.48xlarge"   = { vcpus = 192, memory_gib = 2048, gpus = 8, gpu = "H100 80 GB" }
    },
  )

  unknown_gpu_instance_types = [for t in var.gpu_instance_types : t if !contains(keys(local.gpu_instance_catalog), t)]

  # The ECS agent registers less memory than the instance has (the kernel and the agent keep
  # some): 5% is left for them, so a job asking for exactly an instance's memory is refused.
  allocatable_memory_mib = {
    for t in var.gpu_instance_types : t => floor(local.gpu_instance_catalog[t].memory_gib * 1024 * 0.95)
    if contains(keys(local.gpu_instance_catalog), t)
  }

  # Per stage: the allowed instance types that can hold one of its jobs.
  stage_fitting_instance_types = {
    for stage, config in var.stages : stage => [
      for t, memory in local.allocatable_memory_mib : t
      if local.gpu_instance_catalog[t].vcpus >= config.vcpus && memory >= config.memory_mib && local.gpu_instance_catalog[t].gpus >= config.gpus
    ]
  }

  largest_gpu_instance = length(local.allocatable_memory_mib) == 0 ? "none" : format("%d vCPUs, %d MiB allocatable, %d GPUs",
    max([for t in keys(local.allocatable_memory_mib) : local.gpu_instance_catalog[t].vcpus]...),
    max(values(local.allocatable_memory_mib)...),
    max([for t in keys(local.allocatable_memory_mib) : local.gpu_instance_catalog[t].gpus]...),
  )
}
