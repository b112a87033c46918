data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_caller_identity" "current" {}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.availability_zones)
  tags = merge(var.tags, {
    "app.kubernetes.io/part-of" = "esg-token-ecosystem"
    "esg/deployment"            = var.name
  })
  # The Kubernetes namespace and service accounts of deploy/kubernetes.
  namespace = "esg"
}

# ---------------------------------------------------------------- network
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.16.0"

  name = var.name
  cidr = var.vpc_cidr
  azs  = local.azs

  public_subnets      = [for i, _ in local.azs : cidrsubnet(var.vpc_cidr, 8, i)]
  private_subnets     = [for i, _ in local.azs : cidrsubnet(var.vpc_cidr, 4, i + 1)]
  database_subnets    = [for i, _ in local.azs : cidrsubnet(var.vpc_cidr, 8, i + 100)]
  elasticache_subnets = [for i, _ in local.azs : cidrsubnet(var.vpc_cidr, 8, i + 110)]

  create_database_subnet_group    = true
  create_elasticache_subnet_group = true
  enable_nat_gateway              = true
  one_nat_gateway_per_az          = true

  # Load balancers of the AWS Load Balancer Controller (the Ingress of overlays/prod).
  public_subnet_tags  = { "kubernetes.io/role/elb" = "1" }
  private_subnet_tags = { "kubernetes.io/role/internal-elb" = "1" }
}

# ---------------------------------------------------------------- Kubernetes
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.31.6"

  cluster_name    = var.name
  cluster_version = var.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  cluster_endpoint_public_access           = true
  enable_cluster_creator_admin_permissions = true
  enable_irsa                              = true

  # Kubernetes Secrets encrypted with the deployment's key.
  cluster_encryption_config = {
    provider_key_arn = aws_kms_key.esg.arn
    resources        = ["secrets"]
  }

  cluster_addons = {
    coredns    = {}
    kube-proxy = {}
    # NetworkPolicies (deploy/kubernetes/base/networkpolicies.yaml) are enforced by the VPC CNI.
    vpc-cni = {
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
  }

  eks_managed_node_groups = {
    services = {
      instance_types = var.node_instance_types
      min_size       = var.node_count.min
      desired_size   = var.node_count.desired
      max_size       = var.node_count.max
    }
  }
}
