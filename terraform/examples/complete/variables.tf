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
  description = "Private subnets (two or more availability zones); without a NAT gateway, keep create_vpc_endpoints"
  type        = list(string)
}

variable "private_route_table_ids" {
  description = "Route tables of the private subnets (they get the S3 gateway endpoint)"
  type        = list(string)
  default     = []
}

variable "create_vpc_endpoints" {
  description = "Create the VPC endpoints the jobs need (S3 gateway; ECR, ECS, Logs, Secrets Manager, SQS, Batch interfaces). False when the subnets route through a NAT gateway"
  type        = bool
  default     = true
}

variable "alarm_topic_arn" {
  description = "SNS topic notified when a manifest lands in the dead-letter queue; null for none"
  type        = string
  default     = null
}

variable "monthly_budget_usd" {
  description = "Monthly AWS Budgets limit over the environment's tagged resources; null for no budget"
  type        = number
  default     = null
}

variable "budget_emails" {
  description = "Who the budget alerts (80% and 100% actual, 100% forecast)"
  type        = list(string)
  default     = []
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
