"""Prometheus configuration, alert rules and their unit tests (promtool), and the Grafana
dashboard: valid, and every expression names a metric the services really export."""

from __future__ import annotations

import importlib
import json
import re

import pytest
import yaml
from prometheus_client import REGISTRY

from tests.support.deploy import DEPLOY, run, tool

PROMETHEUS = DEPLOY / "prometheus"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "esg.json"
RULES = PROMETHEUS / "rules" / "esg.yml"
RULE_TESTS = PROMETHEUS / "tests" / "esg_test.yml"
# The metrics the bridge relayer and validators export (the interface the alerts and the
# dashboard are written against); checked against what bridge/metrics.py registers.
BRIDGE_METRICS = {
    "bridge_messages_seen_total": "counter",
    "bridge_messages_delivered_total": "counter",
    "bridge_messages_failed_total": "counter",
    "bridge_backlog_messages": "gauge",
    "bridge_validator_missing_signatures": "gauge",
    "bridge_relayer_balance_wei": "gauge",
    "bridge_validator_signed_total": "counter",
    "bridge_validator_head_block": "gauge",
    "bridge_validator_finalized_block": "gauge",
}
METRIC = re.compile(r"\b((?:indexer|api|bridge)_[a-z0-9_]+)\b")
SUFFIXES = {"counter": ("", "_total"), "gauge": ("",), "histogram": ("_bucket", "_count", "_sum")}


def declared_metrics(module: str, prefix: str) -> dict[str, str]:
    """{name: kind} of the prometheus_client metrics named ``prefix…`` that importing ``module``
    registers (the module's own, and the shared ones of esg.chain.metrics it names)."""
    importlib.import_module(module)
    out = {}
    for family in REGISTRY.collect():
        if family.name.startswith(prefix):
            # A counter's family drops the "_total" its series carry.
            name = family.name + "_total" if family.type == "counter" else family.name
            out[name] = family.type
    return out


SERVICES = {"indexer.metrics": "indexer_", "api.middleware": "api_", "bridge.metrics": "bridge_"}


def exported() -> set[str]:
    """Every series name the services export."""
    metrics: dict[str, str] = {}
    for module, prefix in SERVICES.items():
        metrics.update(declared_metrics(module, prefix))
    names = set()
    for name, kind in metrics.items():
        base = name.removesuffix("_total") if kind == "counter" else name
        names.update(base + suffix for suffix in SUFFIXES[kind])
    return names


def test_bridge_metrics_match_the_bridge_code():
    assert declared_metrics("bridge.metrics", "bridge_").items() >= BRIDGE_METRICS.items()


def test_services_declare_the_metrics_the_rules_use():
    found = declared_metrics("indexer.metrics", "indexer_")
    assert (
        found["indexer_lag_blocks"] == "gauge"
        and found["indexer_reorg_depth_blocks"] == "histogram"
        and found["indexer_rpc_errors_total"] == "counter"
        and found["indexer_head_block"] == "gauge"
    )
    assert declared_metrics("api.middleware", "api_")["api_requests_total"] == "counter"


@pytest.mark.parametrize("config", ["prometheus.yml", "compose.yml"])
def test_promtool_check_config(config):
    out = run(tool("promtool"), "check", "config", str(PROMETHEUS / config))
    assert "SUCCESS" in out.stdout + out.stderr


def test_promtool_check_rules():
    run(tool("promtool"), "check", "rules", str(RULES))


def test_promtool_rule_unit_tests():
    out = run(tool("promtool"), "test", "rules", str(RULE_TESTS))
    assert "SUCCESS" in out.stdout + out.stderr


def _alerts() -> dict[str, str]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return {r["alert"]: r["expr"] for g in groups for r in g["rules"] if "alert" in r}


def test_every_alert_has_a_unit_test_that_fires_and_one_that_does_not():
    tests = yaml.safe_load(RULE_TESTS.read_text())["tests"]
    cases = [c for t in tests for c in t.get("alert_rule_test", [])]
    for alert in _alerts():
        mine = [c for c in cases if c["alertname"] == alert]
        assert any(c["exp_alerts"] for c in mine), f"{alert}: no test where it fires"
        assert any(not c["exp_alerts"] for c in mine), f"{alert}: no test where it stays silent"


def test_the_alerts_the_operators_need_exist():
    alerts = _alerts()
    for needed in (
        "IndexerLagging",
        "IndexerStalled",
        "ReorgDeeperThanUsual",
        "RPCErrors",
        "APIErrors",
        "APISlow",
        "BridgeBacklog",
        "ValidatorSignaturesMissing",
        "RelayerGasLow",
    ):
        assert needed in alerts


def test_rules_name_only_exported_metrics():
    known = exported()
    for alert, expr in _alerts().items():
        unknown = set(METRIC.findall(expr)) - known
        assert not unknown, f"{alert} uses {unknown}"


def _panels(dashboard: dict) -> list[dict]:
    out = []
    for panel in dashboard["panels"]:
        out.append(panel)
        out.extend(panel.get("panels", []))
    return [p for p in out if p["type"] != "row"]


def test_dashboard_is_valid_and_names_exported_metrics():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] and dashboard["title"]
    panels = _panels(dashboard)
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    known = exported()
    used = set()
    for panel in panels:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            names = set(METRIC.findall(target["expr"]))
            assert names, f"{panel['title']}: {target['expr']} names no metric"
            assert names <= known, f"{panel['title']}: unknown {names - known}"
            used |= names
    # Indexer throughput and lag, API rate and latency, bridge flow.
    for needed in (
        "indexer_events_indexed_total",
        "indexer_lag_blocks",
        "api_requests_total",
        "api_request_duration_seconds_bucket",
        "bridge_messages_seen_total",
        "bridge_messages_delivered_total",
        "bridge_backlog_messages",
    ):
        assert needed in used, needed


def test_grafana_provisioning_points_at_the_dashboard():
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/esg.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
    datasource = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text()
    )
    assert datasource["datasources"][0]["type"] == "prometheus"
