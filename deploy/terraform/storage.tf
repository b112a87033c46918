# ---------------------------------------------------------------- S3: oracle evidence and backups
resource "aws_s3_bucket" "evidence" {
  bucket = "${var.name}-evidence-${data.aws_caller_identity.current.account_id}"
}

resource "aws_s3_bucket" "backups" {
  bucket = "${var.name}-backups-${data.aws_caller_identity.current.account_id}"
}

# Both buckets are versioned, encrypted with the deployment's key and never public. (A state
# written when each bucket had its own three resources moves over with `terraform state mv`,
# e.g. aws_s3_bucket_versioning.evidence to 'aws_s3_bucket_versioning.esg["evidence"]'.)
locals {
  buckets = {
    evidence = aws_s3_bucket.evidence.id
    backups  = aws_s3_bucket.backups.id
  }
}

resource "aws_s3_bucket_versioning" "esg" {
  for_each = local.buckets
  bucket   = each.value
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "esg" {
  for_each = local.buckets
  bucket   = each.value
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.esg.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "esg" {
  for_each                = local.buckets
  bucket                  = each.value
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    id     = "archive-then-expire"
    status = "Enabled"
    filter {}
    transition {
      days          = var.backup_archive_days
      storage_class = "GLACIER"
    }
    expiration {
      days = 365
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}

# ---------------------------------------------------------------- ECR: the images
# The services' and the frontend's images. (A state written when each had a resource of its own
# moves over with `terraform state mv`, e.g. aws_ecr_repository.services to
# 'aws_ecr_repository.esg["services"]'.)
resource "aws_ecr_repository" "esg" {
  for_each             = toset(["services", "frontend"])
  name                 = "${var.name}/esg-${each.key}"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.esg.arn
  }
}
