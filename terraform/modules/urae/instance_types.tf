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
      "p5e.48xlarge"  = { vcpus = 192, memory_gib = 2048, gpus = 8, gpu = "H200 141 GB" }
    },
  )

  # GPU memory (GB, as sold) per GPU of each instance type: a stage's `min_gpu_memory_gib`
  # (what its memory plan needs on one GPU) is checked against every type of its pool.
  gpu_memory_gib = { for t, spec in local.gpu_instance_catalog : t => tonumber(regex("([0-9]+) GB$", spec.gpu)[0]) }

  unknown_gpu_instance_types = [
    for t in distinct(concat(var.gpu_instance_types, var.large_gpu_instance_types)) : t if !contains(keys(local.gpu_instance_catalog), t)
  ]

  # The ECS agent registers less memory than the instance has (the kernel and the agent keep
  # some): 5% is left for them, so a job asking for exactly an instance's memory is refused.
  allocatable_memory_mib = {
    for t in distinct(concat(var.gpu_instance_types, var.large_gpu_instance_types)) : t => floor(local.gpu_instance_catalog[t].memory_gib * 1024 * 0.95)
    if contains(keys(local.gpu_instance_catalog), t)
  }

  # Per stage: the known instance types of its pool, those that can hold one of its jobs, and
  # those whose GPUs are smaller than the stage needs.
  stage_instance_types = {
    for stage, config in var.stages : stage => [
      for t in try(local.gpu_pools[config.pool].instance_types, []) : t if contains(keys(local.allocatable_memory_mib), t)
    ]
  }
  stage_fitting_instance_types = {
    for stage, config in var.stages : stage => [
      for t in local.stage_instance_types[stage] : t
      if local.gpu_instance_catalog[t].vcpus >= config.vcpus && local.allocatable_memory_mib[t] >= config.memory_mib && local.gpu_instance_catalog[t].gpus >= config.gpus
    ]
  }
  stage_small_gpu_instance_types = {
    for stage, config in var.stages : stage => [
      for t in local.stage_instance_types[stage] : t if local.gpu_memory_gib[t] < config.min_gpu_memory_gib
    ]
  }

  stage_largest_instance = {
    for stage, types in local.stage_instance_types : stage => length(types) == 0 ? "none" : format("%d vCPUs, %d MiB allocatable, %d GPUs",
      max([for t in types : local.gpu_instance_catalog[t].vcpus]...),
      max([for t in types : local.allocatable_memory_mib[t]]...),
      max([for t in types : local.gpu_instance_catalog[t].gpus]...),
    )
  }
}
