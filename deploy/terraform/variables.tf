variable "name" {
  description = "Prefix of every resource name (e.g. esg-prod)."
  type        = string
  default     = "esg-prod"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-central-1"
}

variable "vpc_cidr" {
  description = "Address range of the VPC; the API trusts X-Forwarded-For from it (the load balancer's addresses)."
  type        = string
  default     = "10.20.0.0/16"
}

variable "availability_zones" {
  description = "How many availability zones to spread subnets, nodes and databases over."
  type        = number
  default     = 3
}

variable "kubernetes_version" {
  description = "EKS version; the manifests are validated against it (tests/deploy)."
  type        = string
  default     = "1.33"
}

variable "node_instance_types" {
  description = "Instance types of the EKS managed node group."
  type        = list(string)
  default     = ["m7i.large"]
}

variable "node_count" {
  description = "Minimum, desired and maximum nodes of the node group."
  type        = object({ min = number, desired = number, max = number })
  default     = { min = 3, desired = 3, max = 10 }
}

variable "aurora_engine_version" {
  description = "Aurora PostgreSQL version."
  type        = string
  default     = "16.4"
}

variable "aurora_instance_class" {
  description = "Instance class of the Aurora writer and reader."
  type        = string
  default     = "db.r7g.large"
}

variable "aurora_backup_retention_days" {
  description = "Days of automated backups, and so of point-in-time recovery (1-35)."
  type        = number
  default     = 14

  validation {
    condition     = var.aurora_backup_retention_days >= 1 && var.aurora_backup_retention_days <= 35
    error_message = "aurora_backup_retention_days must be between 1 and 35."
  }
}

variable "redis_node_type" {
  description = "ElastiCache node type (primary and one replica)."
  type        = string
  default     = "cache.r7g.large"
}

variable "validator_count" {
  description = "Bridge validators run by this operator, each with its own key secret."
  type        = number
  default     = 3
}

variable "domain_names" {
  description = "Host names of the API and the oracle (the TLS certificate covers them)."
  type        = list(string)
  default     = ["api.esg.example", "oracle.esg.example"]
}

variable "route53_zone_id" {
  description = "Route 53 zone that validates the certificate (DNS validation)."
  type        = string
}

variable "backup_archive_days" {
  description = "Days after which logical backups (pg_dump) move to Glacier; they expire after a year."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
