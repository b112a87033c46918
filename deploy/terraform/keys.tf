# ---------------------------------------------------------------- KMS and Secrets Manager
# One customer key encrypts the secrets, the database, the cache, the buckets and the cluster's
# Kubernetes Secrets. Each signing key (validators, relayer, oracle) is its own secret, so each
# process can be given access to its own only. Terraform creates the secrets empty: the keystores
# are put in by an operator (docs/operations.md), never through Terraform (or its state).
resource "aws_kms_key" "esg" {
  description             = "${var.name}: secrets, database, cache, buckets"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_kms_alias" "esg" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.esg.key_id
}

resource "aws_secretsmanager_secret" "validator" {
  count       = var.validator_count
  name        = "${var.name}/validator-${count.index + 1}"
  description = "Bridge validator ${count.index + 1}: keystore.json and passphrase"
  kms_key_id  = aws_kms_key.esg.arn
}

resource "aws_secretsmanager_secret" "relayer" {
  name        = "${var.name}/relayer"
  description = "Bridge relayer (pays gas, no validator authority): keystore.json and passphrase"
  kms_key_id  = aws_kms_key.esg.arn
}

resource "aws_secretsmanager_secret" "oracle" {
  name        = "${var.name}/oracle"
  description = "Oracle: signer.key, auditor.key and evidence.keys"
  kms_key_id  = aws_kms_key.esg.arn
}

resource "aws_secretsmanager_secret" "redis" {
  name        = "${var.name}/redis"
  description = "Redis URL with its auth token (rediss://)"
  kms_key_id  = aws_kms_key.esg.arn
}

resource "aws_secretsmanager_secret_version" "redis" {
  secret_id = aws_secretsmanager_secret.redis.id
  secret_string = jsonencode({
    url = "rediss://:${random_password.redis.result}@${aws_elasticache_replication_group.esg.primary_endpoint_address}:6379/0"
  })
}
