# The AWS side of a production deployment: EKS, Aurora PostgreSQL (writer + reader),
# ElastiCache Redis, KMS and Secrets Manager for the signing keys, S3 for evidence and backups,
# ECR for the images. See docs/operations.md.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
