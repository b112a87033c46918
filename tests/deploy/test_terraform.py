"""deploy/terraform parsed with python-hcl2 and cross-checked: every variable used is declared
(and every declared one used), every reference to a resource, data source, module or local
resolves, modules and providers are pinned, and the outputs the operators need exist.

``terraform validate`` cannot run here: ``terraform init`` must download the AWS provider and
the modules from registry.terraform.io, which this machine cannot reach."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import hcl2
import pytest

from tests.support.deploy import DEPLOY

TERRAFORM = DEPLOY / "terraform"
PROVIDERS = ("aws", "random")


@pytest.fixture(scope="module")
def blocks() -> dict[str, list]:
    """Every top-level block of every .tf file, by block type."""
    out: dict[str, list] = {}
    for path in sorted(TERRAFORM.glob("*.tf")):
        parsed = hcl2.loads(path.read_text())
        for kind, items in parsed.items():
            out.setdefault(kind, []).extend(items)
    return out


@pytest.fixture(scope="module")
def text(blocks) -> str:
    """All values as one string (expressions are strings in python-hcl2's output)."""
    return json.dumps(blocks)


def _names(items: list) -> set[str]:
    return {name for item in items for name in item}


def _typed(items: list) -> set[tuple[str, str]]:
    return {(kind, name) for item in items for kind, named in item.items() for name in named}


def test_every_file_parses_and_declares_something(blocks):
    assert {"terraform", "variable", "resource", "module", "output", "data", "locals"} <= set(
        blocks
    )


def test_variables_used_are_declared_and_declared_are_used(blocks, text):
    declared = _names(blocks["variable"])
    used = set(re.findall(r"\bvar\.([a-z0-9_]+)", text))
    assert used - declared == set(), f"undeclared: {used - declared}"
    assert declared - used == set(), f"never used: {declared - used}"
    for item in blocks["variable"]:
        for name, body in item.items():
            assert body.get("description"), f"variable {name} has no description"


def test_every_reference_resolves(blocks, text):
    resources = _typed(blocks["resource"])
    data = _typed(blocks["data"])
    modules = _names(blocks["module"])
    local_names = {name for item in blocks["locals"] for name in item if not name.startswith("__")}
    for kind, name in re.findall(r"(?<![\w.])((?:aws|random)_[a-z0-9_]+)\.([a-z0-9_]+)", text):
        assert (kind, name) in resources, f"{kind}.{name} is not declared"
    for kind, name in re.findall(r"\bdata\.([a-z0-9_]+)\.([a-z0-9_]+)", text):
        assert (kind, name) in data, f"data.{kind}.{name} is not declared"
    for name in re.findall(r"\bmodule\.([a-z0-9_]+)", text):
        assert name in modules, f"module.{name} is not declared"
    for name in re.findall(r"\blocal\.([a-z0-9_]+)", text):
        assert name in local_names, f"local.{name} is not defined"


def test_modules_and_providers_are_pinned(blocks):
    for item in blocks["module"]:
        for name, body in item.items():
            assert body["source"][0].startswith("terraform-aws-modules/"), name
            assert re.fullmatch(r"\d+\.\d+\.\d+", body["version"][0]), f"module {name} not pinned"
    (terraform,) = blocks["terraform"]
    required = terraform["required_providers"][0]
    for provider in PROVIDERS:
        assert required[provider][0]["version"].startswith("~>"), provider


def test_the_pieces_of_the_deployment_exist(blocks):
    resources = _typed(blocks["resource"])
    modules = _names(blocks["module"])
    assert {"vpc", "eks"} <= modules
    for needed in (
        ("aws_rds_cluster", "esg"),
        ("aws_rds_cluster_instance", "esg"),
        ("aws_elasticache_replication_group", "esg"),
        ("aws_kms_key", "esg"),
        ("aws_secretsmanager_secret", "esg"),
        ("aws_s3_bucket", "evidence"),
        ("aws_ecr_repository", "esg"),
    ):
        assert needed in resources, needed
    bodies = {
        (k, n): b
        for item in blocks["resource"]
        for k, named in item.items()
        for n, b in named.items()
    }
    # A writer and a reader; the database, the cache and the secrets encrypted with the key.
    assert bodies[("aws_rds_cluster_instance", "esg")]["count"] == [2]
    cluster = bodies[("aws_rds_cluster", "esg")]
    assert cluster["storage_encrypted"] == [True] and cluster["manage_master_user_password"] == [
        True
    ]
    assert "var.aurora_backup_retention_days" in cluster["backup_retention_period"][0]
    cache = bodies[("aws_elasticache_replication_group", "esg")]
    assert cache["transit_encryption_enabled"] == [True] and cache[
        "at_rest_encryption_enabled"
    ] == [True]
    secret = bodies[("aws_secretsmanager_secret", "esg")]
    assert "aws_kms_key.esg" in secret["kms_key_id"][0]
    # One secret per validator, one each for the relayer's and the oracle's keys and the Redis URL.
    assert secret["for_each"] == ["${local.secrets}"]
    (secrets,) = [i["secrets"][0] for i in blocks["locals"] if "secrets" in i]
    assert '"validator-${i + 1}"' in secrets and "range(var.validator_count)" in secrets
    for name in ("relayer", "oracle", "redis"):
        assert re.search(rf"\b{name}\b['\"]?\s*[:=]", secrets), name
    # No secret value of a signing key passes through Terraform (nor its state).
    versions = {n for k, n in resources if k == "aws_secretsmanager_secret_version"}
    assert versions == {"redis"}


def test_outputs_for_the_operators(blocks):
    outputs = {name: body for item in blocks["output"] for name, body in item.items()}
    for needed in (
        "cluster_name",
        "vpc_cidr",
        "ecr_services_repository",
        "aurora_writer_endpoint",
        "aurora_reader_endpoint",
        "redis_secret_arn",
        "validator_secret_arns",
        "oracle_secret_arn",
        "oracle_role_arn",
        "evidence_bucket",
        "backups_bucket",
        "certificate_arn",
    ):
        assert needed in outputs, needed
    for name, body in outputs.items():
        assert body.get("description"), f"output {name} has no description"


def test_kubernetes_version_matches_the_validated_manifests(blocks):
    from tests.support.deploy import KUBERNETES_VERSION

    default = next(
        item["kubernetes_version"]["default"]
        for item in blocks["variable"]
        if "kubernetes_version" in item
    )
    assert default == [KUBERNETES_VERSION]


def test_terraform_fmt_where_terraform_is_installed():
    """Formatting needs no provider; ``terraform validate`` does (see the module notes)."""
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("no terraform binary on this machine")
    out = subprocess.run(
        [terraform, "fmt", "-check", "-diff", str(TERRAFORM)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr
