terraform {
  required_version = ">= 1.11.0" # ephemeral resources and write-only attributes (the database secret)

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80, < 6.0"
    }
  }
}
