"""When a block is final: one rule per chain, shared by the indexer and the bridge validators.

=============  =============================================================================
rule           final block
=============  =============================================================================
``instant``    the head (QBFT Besu: a block is final once it is produced)
``tag``        the node's ``finalized`` block (Ethereum); a node without the tag: head − 64
``depth:N``    head − N (Polygon PoS and anything else whose reorgs are bounded by a depth)
=============  =============================================================================

The default rule comes from the network's ecosystem (the manifest's ``network`` starts with
``besu``, ``ethereum`` or ``polygon``); services let each chain id override it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Default rule per network ecosystem.
DEFAULT_FINALITY = {"besu": "instant", "ethereum": "tag", "polygon": "depth:64"}
# Depth used by the `tag` rule while the node does not answer for the `finalized` tag.
TAG_FALLBACK_DEPTH = 64


@dataclass(frozen=True)
class Finality:
    """A chain's finality rule (see the module notes)."""

    kind: str
    depth: int = 0

    @classmethod
    def parse(cls, spec: str) -> Finality:
        """``instant``, ``tag`` or ``depth:N`` (N ≥ 0); ValueError naming the bad value."""
        if spec in ("instant", "tag"):
            return cls(spec)
        kind, _, n = spec.partition(":")
        if kind == "depth" and n.isdigit():
            return cls("depth", int(n))
        raise ValueError(f"finality {spec!r}: expected 'instant', 'tag' or 'depth:N'")

    @classmethod
    def for_network(cls, network: str, override: str | None = None) -> Finality:
        """The configured rule if any, else the default of the network's ecosystem."""
        if override:
            return cls.parse(override)
        return cls.parse(DEFAULT_FINALITY.get(network.split(":", 1)[0], "tag"))

    @property
    def uses_tag(self) -> bool:
        """Whether the rule needs the node's ``finalized`` block."""
        return self.kind == "tag"

    def finalized(self, head: int, tagged: dict | None = None) -> int:
        """The last final block given the head and, for ``tag``, the node's ``finalized``
        block (None when the node has none); -1 when no block is final yet."""
        if self.kind == "instant":
            return head
        if self.kind == "tag":
            if tagged:
                return int(tagged["number"], 16)
            return max(-1, head - TAG_FALLBACK_DEPTH)
        return max(-1, head - self.depth)

    def __str__(self) -> str:
        return f"depth:{self.depth}" if self.kind == "depth" else self.kind
