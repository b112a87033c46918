"""Prometheus metrics of the bridge services (names are a contract with the alert rules)."""

from prometheus_client import Counter, Gauge

from esg.chain.metrics import chain_gauges, rpc_metrics, serve

__all__ = ["serve"]

# Relayer.
SEEN = Counter(
    "bridge_messages_seen_total",
    "Final messages found on a source chain",
    ["src_chain", "dest_chain"],
)
DELIVERED = Counter(
    "bridge_messages_delivered_total",
    "Messages accepted by the destination bridge",
    ["src_chain", "dest_chain"],
)
FAILED = Counter(
    "bridge_messages_failed_total",
    "Messages given up after their last failed attempt",
    ["dest_chain"],
)
BACKLOG = Gauge("bridge_backlog_messages", "Final messages not yet delivered", ["dest_chain"])
MISSING = Gauge(
    "bridge_validator_missing_signatures",
    "Backlog messages this validator has not signed",
    ["validator"],
)
BALANCE = Gauge("bridge_relayer_balance_wei", "Balance of the relayer's account", ["chain"])

# Validators.
SIGNED = Counter(
    "bridge_validator_signed_total", "Messages this validator signed", ["validator", "src_chain"]
)
HEAD, FINALIZED = chain_gauges("bridge_validator")

# Both: their JSON-RPC traffic.
RPC = rpc_metrics("bridge", buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
