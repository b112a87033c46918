"""The chain layer every service shares: a JSON-RPC client (``rpc``), the per-chain finality
rule (``finality``), a finality-aware log follower (``follower``), contract ABIs from the
deployment manifest (``abi``) and transaction sending from a local key (``tx``)."""
