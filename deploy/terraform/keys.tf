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

# One secret per signing key (each validator, the relayer, the oracle) and one for the Redis URL.
# (A state written when they had resources of their own moves over with `terraform state mv`,
# e.g. 'aws_secretsmanager_secret.validator[0]' to 'aws_secretsmanager_secret.esg["validator-1"]'.)
locals {
  secrets = merge(
    {
      for i in range(var.validator_count) :
      "validator-${i + 1}" => "Bridge validator ${i + 1}: keystore.json and passphrase"
    },
    {
      relayer = "Bridge relayer (pays gas, no validator authority): keystore.json and passphrase"
      oracle  = "Oracle: signer.key, auditor.key and evidence.keys"
      redis   = "Redis URL with its auth token (rediss://)"
    },
  )
  # In validator order: what each validator's service account may read.
  validator_secret_arns = [
    for i in range(var.validator_count) : aws_secretsmanager_secret.esg["validator-${i + 1}"].arn
  ]
}

resource "aws_secretsmanager_secret" "esg" {
  for_each    = local.secrets
  name        = "${var.name}/${each.key}"
  description = each.value
  kms_key_id  = aws_kms_key.esg.arn
}

resource "aws_secretsmanager_secret_version" "redis" {
  secret_id = aws_secretsmanager_secret.esg["redis"].id
  secret_string = jsonencode({
    url = "rediss://:${random_password.redis.result}@${aws_elasticache_replication_group.esg.primary_endpoint_address}:6379/0"
  })
}
