"""deploy/kubernetes rendered with ``kubectl kustomize`` for each overlay and validated with
kubernetes-validate against a pinned Kubernetes version; then the properties the operators
rely on: probes, autoscaling, one writer per chain, one key per validator, secrets only by
reference, NetworkPolicies, TLS 1.3 at the ingress, trusted proxies, resources."""

from __future__ import annotations

import ipaddress
import json

import pytest
import yaml

from tests.support.deploy import (
    DEPLOY,
    KUBERNETES_VERSION,
    by_kind,
    containers,
    env_of,
    render,
    run,
    tool,
)

OVERLAYS = ["dev", "prod"]
WORKLOADS = {"api", "indexer", "relayer", "validator", "oracle"}


@pytest.fixture(scope="module", params=OVERLAYS)
def docs(request):
    return render(request.param)


def _deployments(docs):
    return by_kind(docs, "Deployment")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rendered_manifests_are_valid_kubernetes(overlay, tmp_path):
    path = tmp_path / f"{overlay}.yaml"
    path.write_text(yaml.safe_dump_all(render(overlay)))
    run(tool("kubernetes-validate"), "--strict", "-k", f"{KUBERNETES_VERSION}.0", str(path))


def test_every_workload_kind_is_there(docs):
    components = {
        d["metadata"]["labels"]["app.kubernetes.io/component"] for d in _deployments(docs).values()
    }
    assert components == WORKLOADS


def test_api_probes_autoscaling_and_disruption_budget(docs):
    api = _deployments(docs)["api"]
    (c,) = containers(api)
    assert c["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert c["livenessProbe"]["httpGet"]["path"] == "/health"
    hpa = by_kind(docs, "HorizontalPodAutoscaler")["api"]
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "api",
    }
    assert hpa["spec"]["minReplicas"] <= api["spec"]["replicas"] <= hpa["spec"]["maxReplicas"]
    pdb = by_kind(docs, "PodDisruptionBudget")["api"]
    labels = api["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    # A drain can always proceed: the budget leaves at least one pod to evict.
    if "minAvailable" in pdb["spec"]:
        assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]


def test_one_indexer_per_chain_and_exactly_one_writer(docs):
    indexers = {n: d for n, d in _deployments(docs).items() if n.startswith("indexer-")}
    chains = by_kind(docs, "ConfigMap")["esg-chains"]["data"]
    assert set(indexers) == {f"indexer-{key}" for key in chains}
    followed = []
    for name, d in indexers.items():
        assert d["spec"]["replicas"] == 1, name
        assert d["spec"]["strategy"] == {"type": "Recreate"}, name
        ref = env_of(containers(d)[0])["INDEXER_CHAINS"]["valueFrom"]["configMapKeyRef"]
        assert ref["name"] == "esg-chains"
        ids = json.loads(chains[ref["key"]])
        assert len(ids) == 1, f"{name} follows {ids}"
        followed += ids
    assert len(followed) == len(set(followed)), "two indexers share a chain"


def test_each_validator_has_its_own_deployment_and_secret(docs):
    validators = {n: d for n, d in _deployments(docs).items() if n.startswith("validator-")}
    assert len(validators) == 3
    secrets = set()
    for d in validators.values():
        assert d["spec"]["replicas"] == 1
        (volume,) = [v for v in d["spec"]["template"]["spec"]["volumes"] if "secret" in v]
        secrets.add(volume["secret"]["secretName"])
        env = env_of(containers(d)[0])
        assert env["BRIDGE_VALIDATOR_KEY_FILE"]["value"].startswith("/run/secrets/")
        assert "BRIDGE_VALIDATOR_DEV_ACCOUNT" not in env
    assert secrets == {f"esg-validator-{i}" for i in (1, 2, 3)}


def test_secrets_only_by_reference(docs):
    assert not by_kind(docs, "Secret"), "a Secret with data in the manifests"
    text = yaml.safe_dump_all(docs)
    for marker in ("PRIVATE KEY", "passphrase:", "password="):
        assert marker not in text
    for d in _deployments(docs).values():
        for c in containers(d):
            for name, e in env_of(c).items():
                if any(
                    w in name
                    for w in ("KEY", "PASSWORD", "PASSPHRASE", "DATABASE_URL", "REDIS_URL")
                ):
                    assert "value" not in e or e["value"].startswith("/run/secrets/"), name


def test_pods_run_unprivileged_with_requests_and_limits(docs):
    for name, d in _deployments(docs).items():
        spec = d["spec"]["template"]["spec"]
        assert (
            spec["securityContext"]["runAsNonRoot"] is True
            and spec["securityContext"]["runAsUser"] == 10001
        )
        assert spec["automountServiceAccountToken"] is False
        for c in containers(d):
            sc = c["securityContext"]
            assert sc["readOnlyRootFilesystem"] and not sc["allowPrivilegeEscalation"]
            assert sc["capabilities"]["drop"] == ["ALL"]
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c["resources"][kind]), (name, kind)
            image = c["image"]
            assert ":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest"), image


def _selects(selector: dict, labels: dict) -> bool:
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for e in selector.get("matchExpressions", []):
        assert e["operator"] == "In"
        if labels.get(e["key"]) not in e["values"]:
            return False
    return True


def test_network_policies_deny_by_default_and_cover_every_pod(docs):
    policies = by_kind(docs, "NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    for name, d in _deployments(docs).items():
        labels = d["spec"]["template"]["metadata"]["labels"]
        applied = {n for n, p in policies.items() if _selects(p["spec"]["podSelector"], labels)}
        # Every pod resolves names, reaches the data stores and the chains, and is scraped.
        assert {
            "default-deny",
            "allow-dns",
            "allow-data-stores",
            "allow-rpc",
            "allow-metrics-scrape",
        } <= applied, name
        public = labels["app.kubernetes.io/component"] in ("api", "oracle")
        assert ("allow-ingress-to-api-and-oracle" in applied) == public, name
        ports = {p["containerPort"] for c in containers(d) for p in c["ports"]}
        allowed = {
            p["port"]
            for n in applied
            for rule in policies[n]["spec"].get("ingress", [])
            for p in rule.get("ports", [])
        }
        assert ports <= allowed, f"{name}: ports {ports - allowed} unreachable"


def test_tls_13_at_the_ingress_and_trusted_proxies():
    dev, prod = render("dev"), render("prod")
    nginx = by_kind(dev, "ConfigMap")["ingress-nginx-controller"]
    assert nginx["metadata"]["namespace"] == "ingress-nginx"
    assert nginx["data"]["ssl-protocols"] == "TLSv1.3"
    assert by_kind(dev, "Ingress")["esg"]["spec"]["tls"][0]["secretName"] == "esg-tls"
    alb = by_kind(prod, "Ingress")["esg"]["metadata"]["annotations"]
    assert alb["alb.ingress.kubernetes.io/ssl-policy"].startswith("ELBSecurityPolicy-TLS13-1-3")
    assert json.loads(alb["alb.ingress.kubernetes.io/listen-ports"]) == [{"HTTPS": 443}]
    for docs in (dev, prod):
        proxies = by_kind(docs, "ConfigMap")["esg-config"]["data"]["API_TRUSTED_PROXIES"]
        for net in proxies.split(","):
            assert ipaddress.ip_network(net).is_private  # never the whole internet
    # In prod the proxy is the load balancer inside the VPC that the data stores share.
    vpc = by_kind(prod, "ConfigMap")["esg-config"]["data"]["API_TRUSTED_PROXIES"]
    ingress_from = by_kind(prod, "NetworkPolicy")["allow-ingress-to-api-and-oracle"]["spec"][
        "ingress"
    ][0]["from"]
    assert ingress_from == [{"ipBlock": {"cidr": vpc}}]


def test_probe_ports_and_services_match_containers(docs):
    services = by_kind(docs, "Service")
    for name, d in _deployments(docs).items():
        labels = d["spec"]["template"]["metadata"]["labels"]
        ports = {p["name"] for c in containers(d) for p in c["ports"]}
        for c in containers(d):
            for probe in ("readinessProbe", "livenessProbe"):
                if probe in c:
                    assert c[probe]["httpGet"]["port"] in ports, (name, probe)
        # Prometheus finds every replica through a headless Service (deploy/prometheus).
        component = labels["app.kubernetes.io/component"]
        if component != "oracle":
            headless = services[f"{component}-pods"]
            assert headless["spec"]["clusterIP"] == "None"
            assert headless["spec"]["selector"].items() <= labels.items()


def test_monitoring_config_maps_are_rendered(docs):
    maps = by_kind(docs, "ConfigMap")
    assert "prometheus.yml" in maps["esg-prometheus"]["data"]
    assert "esg.yml" in maps["esg-prometheus-rules"]["data"]
    assert maps["esg-grafana-dashboard"]["metadata"]["labels"]["grafana_dashboard"] == "1"


def test_signers_run_as_their_own_service_accounts_bound_to_iam_roles():
    prod = render("prod")
    accounts = by_kind(prod, "ServiceAccount")
    deployments = _deployments(prod)
    for name, account in (
        ("validator-1", "validator-1"),
        ("validator-2", "validator-2"),
        ("validator-3", "validator-3"),
        ("oracle", "esg-oracle"),
    ):
        spec = deployments[name]["spec"]["template"]["spec"]
        assert spec["serviceAccountName"] == account
        role = accounts[account]["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]
        assert role.endswith(f"-{name}"), role
    # The IAM roles of deploy/terraform trust exactly these accounts of namespace esg.
    access = (DEPLOY / "terraform" / "access.tf").read_text()
    assert '"${local.namespace}:validator-${count.index + 1}"' in access
    assert '"${local.namespace}:esg-oracle"' in access
    assert 'namespace = "esg"' in (DEPLOY / "terraform" / "main.tf").read_text()
