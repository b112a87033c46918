"""The parts of the Bridge contract ABI the relayer and scripts use (kept here so the relayer
does not depend on the manifest's ABI files)."""

BRIDGE_ABI: list[dict] = [
    {
        "type": "event",
        "name": "MessageSent",
        "anonymous": False,
        "inputs": [
            {"name": "token", "type": "address", "indexed": True},
            {"name": "sender", "type": "address", "indexed": True},
            {"name": "recipient", "type": "address", "indexed": True},
            {"name": "src_chain_id", "type": "uint256", "indexed": False},
            {"name": "sequence", "type": "uint256", "indexed": False},
            {"name": "dest_chain_id", "type": "uint256", "indexed": False},
            {"name": "dest_token", "type": "address", "indexed": False},
            {"name": "id", "type": "uint256", "indexed": False},
            {"name": "amount", "type": "uint256", "indexed": False},
        ],
    },
    {
        "type": "function",
        "name": "receive_message",
        "stateMutability": "nonpayable",
        "inputs": [
            {"name": "src_chain_id", "type": "uint256"},
            {"name": "src_tx_hash", "type": "bytes32"},
            {"name": "src_log_index", "type": "uint256"},
            {"name": "token", "type": "address"},
            {"name": "id", "type": "uint256"},
            {"name": "amount", "type": "uint256"},
            {"name": "recipient", "type": "address"},
            {"name": "signatures", "type": "bytes[]"},
        ],
        "outputs": [],
    },
    {
        "type": "function",
        "name": "is_processed",
        "stateMutability": "view",
        "inputs": [
            {"name": "src_chain_id", "type": "uint256"},
            {"name": "src_tx_hash", "type": "bytes32"},
            {"name": "src_log_index", "type": "uint256"},
        ],
        "outputs": [{"name": "", "type": "bool"}],
    },
    {
        "type": "function",
        "name": "threshold",
        "stateMutability": "view",
        "inputs": [],
        "outputs": [{"name": "", "type": "uint256"}],
    },
    {
        "type": "function",
        "name": "is_validator",
        "stateMutability": "view",
        "inputs": [{"name": "arg0", "type": "address"}],
        "outputs": [{"name": "", "type": "bool"}],
    },
]
