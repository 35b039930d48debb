variable "region" {
  description = "AWS region. Canada (Central) keeps the data of people in Newfoundland and Labrador in Canada."
  type        = string
  default     = "ca-central-1"
}

variable "environment" {
  description = "Environment name, used in resource names (e.g. prod, staging)."
  type        = string
  default     = "prod"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lowercase letters, digits or hyphens."
  }
}

variable "domain_name" {
  description = "Public host name of the site; nginx's server_name and the certbot certificate."
  type        = string
  default     = "missingpersons.example.ca"
}

variable "vpc_cidr" {
  description = "Address range of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "instance_type" {
  description = "EC2 instance type for nginx + lostinnl."
  type        = string
  default     = "t3.small"
}

variable "ssh_key_name" {
  description = "Existing EC2 key pair for SSH; empty for none."
  type        = string
  default     = ""
}

variable "ssh_ingress_cidr" {
  description = "One IPv4 range (prefix /16 or narrower) allowed to reach port 22. Empty (the default) keeps SSH closed."
  type        = string
  default     = ""
  validation {
    condition     = var.ssh_ingress_cidr == "" || can(regex("^([0-9]{1,3}\\.){3}[0-9]{1,3}/(1[6-9]|2[0-9]|3[0-2])$", var.ssh_ingress_cidr))
    error_message = "ssh_ingress_cidr must be empty or an IPv4 CIDR with a prefix of /16 or longer; SSH is never opened to the world."
  }
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t3.small"
}

variable "db_allocated_storage_gb" {
  description = "Initial RDS storage in GiB (grows automatically up to db_max_allocated_storage_gb)."
  type        = number
  default     = 20
}

variable "db_max_allocated_storage_gb" {
  description = "Upper bound for RDS storage autoscaling in GiB."
  type        = number
  default     = 100
}

variable "db_multi_az" {
  description = "Run RDS with a synchronous standby in a second availability zone."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Days of automated RDS backups (point-in-time recovery window)."
  type        = number
  default     = 14
  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be 1-35: automated backups are never switched off."
  }
}

variable "db_username" {
  description = "RDS master user name. Its password is generated and kept by RDS in Secrets Manager, never in Terraform state."
  type        = string
  default     = "lostinnl_admin"
}

variable "media_noncurrent_version_days" {
  description = "Days to keep overwritten or deleted media object versions before they expire."
  type        = number
  default     = 90
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention."
  type        = number
  default     = 90
}

variable "alarm_email" {
  description = "Email address subscribed to the alarm topic; empty for no subscription (confirm the email AWS sends)."
  type        = string
  default     = ""
}

variable "alarm_5xx_percent" {
  description = "Alarm when more than this percentage of requests through nginx answer 5xx over 5 minutes."
  type        = number
  default     = 2
}

variable "alarm_p99_latency_seconds" {
  description = "Alarm when the 99th percentile of nginx request time exceeds this over 5 minutes."
  type        = number
  default     = 2
}

variable "alarm_db_free_storage_bytes" {
  description = "Alarm when RDS free storage falls below this many bytes."
  type        = number
  default     = 2147483648
}

variable "lostinnl_version" {
  description = "Release to install at first boot from s3://<artifacts bucket>/releases/lostinnl-<version>-linux-amd64 (with a .sha256 file beside it)."
  type        = string
  default     = "latest"
}

variable "instance_count" {
  description = "App instances. 1 (the default) is the single EC2 instance with nginx and certbot; 2 or more is the load-balanced mode (scale.tf): an Application Load Balancer with an ACM certificate in front of an Auto Scaling group of this many instances, which must use RDS MySQL and S3."
  type        = number
  default     = 1
  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 20 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number from 1 to 20."
  }
}

variable "certificate_arn" {
  description = "Load-balanced mode only: ARN of the ACM certificate for domain_name, used by the load balancer's HTTPS listener."
  type        = string
  default     = ""
  validation {
    condition     = var.certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))
    error_message = "certificate_arn must be empty or an ACM certificate ARN."
  }
}

variable "database_url_encrypted" {
  description = "Load-balanced mode only: the app's MySQL URL encrypted with our KMS key (`lostinnl secret encrypt`, base64), written into every instance's environment at boot, since instances of the Auto Scaling group start unattended. Ciphertext only; the clear URL never enters Terraform."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^[A-Za-z0-9+/=_-]*$", var.database_url_encrypted))
    error_message = "database_url_encrypted must be the base64 output of `lostinnl secret encrypt`, nothing else."
  }
}
