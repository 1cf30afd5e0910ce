terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x renames data.aws_region's `name` and the Batch compute environment's name arguments.
      version = ">= 5.80, < 6.0"
    }
  }
}
