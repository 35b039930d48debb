# LostInNL on AWS: one EC2 instance (nginx + lostinnl) in a public subnet, RDS MySQL 8 in
# private subnets, S3 for media, KMS for secrets, CloudWatch for logs, metrics and alarms.
# See docs/deploy.md for the walkthrough. Checked by deploy/terraform_test.go.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project     = "lostinnl"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name       = "lostinnl-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  azs        = slice(data.aws_availability_zones.available.names, 0, 2)
}
