# ---------------------------------------------------------------- Aurora PostgreSQL: a writer and a reader
# The indexer writes through the cluster endpoint; the API reads through the reader endpoint
# (DATABASE_READ_URL). Automated backups give point-in-time recovery for
# aurora_backup_retention_days (docs/operations.md#restore-from-backup).
# The database and the cache take connections on their port from the cluster's nodes only.
# (A state written when each had a group of its own moves over with `terraform state mv`, e.g.
# aws_security_group.aurora to 'aws_security_group.esg["aurora"]'.)
locals {
  private_services = {
    aurora = { port = 5432, what = "PostgreSQL" }
    redis  = { port = 6379, what = "Redis" }
  }
}

resource "aws_security_group" "esg" {
  for_each    = local.private_services
  name_prefix = "${var.name}-${each.key}-"
  description = "${each.value.what} from the EKS nodes"
  vpc_id      = module.vpc.vpc_id

  ingress {
    description     = "${each.value.what} from the cluster's nodes"
    from_port       = each.value.port
    to_port         = each.value.port
    protocol        = "tcp"
    security_groups = [module.eks.node_security_group_id]
  }
}

resource "aws_rds_cluster" "esg" {
  cluster_identifier = var.name
  engine             = "aurora-postgresql"
  engine_version     = var.aurora_engine_version
  database_name      = "esg"
  master_username    = "esg_admin"
  # RDS keeps the master password in Secrets Manager, encrypted with the deployment's key.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.esg.key_id

  db_subnet_group_name   = module.vpc.database_subnet_group_name
  vpc_security_group_ids = [aws_security_group.esg["aurora"].id]

  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.esg.arn
  backup_retention_period         = var.aurora_backup_retention_days
  preferred_backup_window         = "02:00-03:00"
  copy_tags_to_snapshot           = true
  deletion_protection             = true
  final_snapshot_identifier       = "${var.name}-final"
  enabled_cloudwatch_logs_exports = ["postgresql"]
}

resource "aws_rds_cluster_instance" "esg" {
  # Instance 0 is the writer; instance 1 the reader the API reads from (and the failover target).
  count                        = 2
  identifier                   = "${var.name}-${count.index}"
  cluster_identifier           = aws_rds_cluster.esg.id
  engine                       = aws_rds_cluster.esg.engine
  engine_version               = aws_rds_cluster.esg.engine_version
  instance_class               = var.aurora_instance_class
  promotion_tier               = count.index
  performance_insights_enabled = true
}

# ---------------------------------------------------------------- ElastiCache Redis
# The API's shared cache and its per-client rate limit, shared by every replica.
resource "random_password" "redis" {
  length  = 48
  special = false
}

resource "aws_elasticache_replication_group" "esg" {
  replication_group_id       = var.name
  description                = "ESG API cache and rate limit"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.redis_node_type
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = module.vpc.elasticache_subnet_group_name
  security_group_ids         = [aws_security_group.esg["redis"].id]
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.esg.arn
  transit_encryption_enabled = true
  auth_token                 = random_password.redis.result
  # The cache holds nothing that cannot be recomputed: no snapshots.
  snapshot_retention_limit = 0
}
