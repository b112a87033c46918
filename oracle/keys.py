"""``python -m oracle.keys``: rotate the token signing key or the evidence key (restart to apply).

python -m oracle.keys rotate-jwt          new signing key; older keys keep verifying
python -m oracle.keys retire-jwt KID      drop a key whose tokens have all expired
python -m oracle.keys rotate-evidence     new evidence key first in the key file; old ones stay
"""

from __future__ import annotations

import argparse
import os
import sys

from oracle.auth import KeyRing
from oracle.crypto import load_or_create_keyfile, new_key_entry
from oracle.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m oracle.keys", description=__doc__.splitlines()[0]
    )
    parser.add_argument("action", choices=["rotate-jwt", "retire-jwt", "rotate-evidence"])
    parser.add_argument("kid", nargs="?")
    args = parser.parse_args(argv)
    s = Settings()
    if args.action == "rotate-jwt":
        print(f"signing key {KeyRing(s.jwt_key_dir).rotate()}")
    elif args.action == "retire-jwt":
        if not args.kid:
            parser.error("retire-jwt needs the key id")
        KeyRing(s.jwt_key_dir).retire(args.kid)
        print(f"retired {args.kid}")
    else:
        if s.evidence_keys is not None:
            parser.error("ORACLE_EVIDENCE_KEYS is set: rotate it there (new id:key first)")
        path = s.evidence_key_file
        old = load_or_create_keyfile(path)
        entry = new_key_entry()
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(entry + "\n" + path.read_text())
        tmp.replace(path)
        print(f"evidence key {entry.split(':')[0]} active; {len(old.keys)} older key(s) kept")
    return 0


if __name__ == "__main__":
    sys.exit(main())
