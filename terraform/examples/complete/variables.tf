variable "region" {
  description = "AWS region to deploy into"
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the URAE environment"
  type        = string
  default     = "urae"
}

variable "vpc_id" {
  description = "Existing VPC for the jobs and the job repository"
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (two or more availability zones) with a NAT gateway or VPC endpoints for S3, ECR, CloudWatch Logs, Secrets Manager and Batch"
  type        = list(string)
}

variable "image_tag" {
  description = "Release tag of the worker and orchestrator images pushed to the module's ECR repositories"
  type        = string
  default     = "0.1.0"
}

variable "nightly_manifest_uri" {
  description = "Manifest that runs every night; null for no schedule"
  type        = string
  default     = null
}
