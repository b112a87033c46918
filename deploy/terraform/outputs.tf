# What deploy/kubernetes/overlays/prod and the operator's commands need (docs/operations.md).
output "cluster_name" {
  description = "EKS cluster (aws eks update-kubeconfig --name <this>)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API endpoint."
  value       = module.eks.cluster_endpoint
}

output "vpc_cidr" {
  description = "VPC range: API_TRUSTED_PROXIES and the NetworkPolicies of overlays/prod."
  value       = module.vpc.vpc_cidr_block
}

output "ecr_services_repository" {
  description = "Image repository of the services (images: newName in overlays/prod)."
  value       = aws_ecr_repository.esg["services"].repository_url
}

output "ecr_frontend_repository" {
  description = "Image repository of the frontend."
  value       = aws_ecr_repository.esg["frontend"].repository_url
}

output "aurora_writer_endpoint" {
  description = "Writer endpoint: DATABASE_URL of the indexer and the bridge services."
  value       = aws_rds_cluster.esg.endpoint
}

output "aurora_reader_endpoint" {
  description = "Reader endpoint: DATABASE_READ_URL of the API."
  value       = aws_rds_cluster.esg.reader_endpoint
}

output "aurora_master_secret_arn" {
  description = "Secrets Manager secret holding the master password (managed by RDS)."
  value       = aws_rds_cluster.esg.master_user_secret[0].secret_arn
}

output "redis_secret_arn" {
  description = "Secrets Manager secret holding the Redis URL (REDIS_URL, secret esg-redis)."
  value       = aws_secretsmanager_secret.esg["redis"].arn
}

output "redis_primary_endpoint" {
  description = "ElastiCache primary endpoint."
  value       = aws_elasticache_replication_group.esg.primary_endpoint_address
}

output "kms_key_arn" {
  description = "The deployment's customer key."
  value       = aws_kms_key.esg.arn
}

output "validator_secret_arns" {
  description = "One secret per validator (keystore.json and passphrase)."
  value       = local.validator_secret_arns
}

output "relayer_secret_arn" {
  description = "The relayer's key secret."
  value       = aws_secretsmanager_secret.esg["relayer"].arn
}

output "oracle_secret_arn" {
  description = "The oracle's key secret."
  value       = aws_secretsmanager_secret.esg["oracle"].arn
}

output "validator_role_arns" {
  description = "IAM role of each validator's service account (reads its own secret only)."
  value       = module.validator_role[*].iam_role_arn
}

output "oracle_role_arn" {
  description = "IAM role of the oracle's service account (eks.amazonaws.com/role-arn in overlays/prod)."
  value       = module.oracle_role.iam_role_arn
}

output "load_balancer_controller_role_arn" {
  description = "IAM role of the AWS Load Balancer Controller."
  value       = module.load_balancer_controller_role.iam_role_arn
}

output "evidence_bucket" {
  description = "S3 bucket of the oracle's evidence."
  value       = aws_s3_bucket.evidence.bucket
}

output "backups_bucket" {
  description = "S3 bucket of the logical backups (pg_dump)."
  value       = aws_s3_bucket.backups.bucket
}

output "certificate_arn" {
  description = "ACM certificate of the ALB (alb.ingress.kubernetes.io/certificate-arn in overlays/prod)."
  value       = aws_acm_certificate_validation.esg.certificate_arn
}
