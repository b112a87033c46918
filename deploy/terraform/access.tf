# ---------------------------------------------------------------- who may read which secret
# IAM roles for the pods' service accounts (IRSA): each signer reads its own secret only, the
# oracle also writes evidence to its bucket.
data "aws_iam_policy_document" "validator" {
  count = var.validator_count
  statement {
    sid       = "OwnKeyOnly"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [local.validator_secret_arns[count.index]]
  }
  statement {
    sid       = "DecryptIt"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.esg.arn]
  }
}

resource "aws_iam_policy" "validator" {
  count  = var.validator_count
  name   = "${var.name}-validator-${count.index + 1}"
  policy = data.aws_iam_policy_document.validator[count.index].json
}

module "validator_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.48.0"
  count   = var.validator_count

  role_name = "${var.name}-validator-${count.index + 1}"
  role_policy_arns = {
    key = aws_iam_policy.validator[count.index].arn
  }
  oidc_providers = {
    cluster = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["${local.namespace}:validator-${count.index + 1}"]
    }
  }
}

data "aws_iam_policy_document" "oracle" {
  statement {
    sid       = "OwnKeys"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.esg["oracle"].arn]
  }
  statement {
    sid       = "Evidence"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.evidence.arn, "${aws_s3_bucket.evidence.arn}/*"]
  }
  statement {
    sid       = "Encryption"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.esg.arn]
  }
}

resource "aws_iam_policy" "oracle" {
  name   = "${var.name}-oracle"
  policy = data.aws_iam_policy_document.oracle.json
}

module "oracle_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.48.0"

  role_name = "${var.name}-oracle"
  role_policy_arns = {
    oracle = aws_iam_policy.oracle.arn
  }
  oidc_providers = {
    cluster = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["${local.namespace}:esg-oracle"]
    }
  }
}

# The AWS Load Balancer Controller, which turns the Ingress of overlays/prod into an ALB.
module "load_balancer_controller_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.48.0"

  role_name                              = "${var.name}-load-balancer-controller"
  attach_load_balancer_controller_policy = true
  oidc_providers = {
    cluster = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:aws-load-balancer-controller"]
    }
  }
}

# ---------------------------------------------------------------- TLS certificate of the ALB
resource "aws_acm_certificate" "esg" {
  domain_name               = var.domain_names[0]
  subject_alternative_names = slice(var.domain_names, 1, length(var.domain_names))
  validation_method         = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "certificate_validation" {
  for_each = {
    for o in aws_acm_certificate.esg.domain_validation_options : o.domain_name => o
  }
  zone_id = var.route53_zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 300
}

resource "aws_acm_certificate_validation" "esg" {
  certificate_arn         = aws_acm_certificate.esg.arn
  validation_record_fqdns = [for r in aws_route53_record.certificate_validation : r.fqdn]
}
