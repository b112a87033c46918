"""`python -m bridge [run|status]`: the bridge relayer's command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging

from bridge.config import RelayerConfig


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bridge", description=__doc__)
    parser.add_argument("command", nargs="?", default="run", choices=["run", "status"])
    parser.add_argument("--manifest", help="deployment manifest (default: ESG_MANIFEST)")
    parser.add_argument("--state", help="state database (default: ESG_BRIDGE_STATE)")
    parser.add_argument("--poll-interval", type=float, help="seconds between scans")
    parser.add_argument("--confirmations", type=int, help="blocks to wait before relaying")
    parser.add_argument("--once", action="store_true", help="one scan and delivery round")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    config = RelayerConfig.load(
        manifest=args.manifest,
        state=args.state,
        poll_interval=args.poll_interval,
        confirmations=args.confirmations,
    )
    if args.command == "status":
        from bridge.state import StateStore

        store = StateStore(config.state_path)
        for s in store.all_messages():
            m = s.message
            row = {
                "src_chain_id": m.src_chain_id,
                "src_tx_hash": m.key[1],
                "src_log_index": m.src_log_index,
                "dest_chain_id": m.dest_chain_id,
                "token": m.token,
                "id": m.id,
                "amount": m.amount,
                "recipient": m.recipient,
                "status": s.status,
                "dest_tx_hash": s.dest_tx_hash,
                "attempts": s.attempts,
                "last_error": s.last_error,
            }
            print(json.dumps(row))
        return

    from bridge.relayer import Relayer

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(Relayer(config).run(once=args.once))


if __name__ == "__main__":
    main()
