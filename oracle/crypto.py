"""Evidence encryption at rest: AES-256-GCM with a fresh 96-bit nonce per record and a key id.

Keys come from a ``KeyProvider``: the active key encrypts, every known key decrypts, so rotating
(adding a new active key and keeping the old one) leaves older records readable. The provider here
reads keys from the environment or a file; a KMS-backed provider only needs the same two methods.
The record's key id, content hash and kind are bound into the tag as associated data, so a
ciphertext moved to another row or relabelled fails to decrypt.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(Exception):
    """A record that cannot be decrypted: unknown key id or a failed authentication tag."""


class KeyProvider(Protocol):
    """Where data keys live (environment, file, or a KMS)."""

    def active(self) -> tuple[str, bytes]:
        """(key id, 32-byte key) used for new records."""

    def key(self, key_id: str) -> bytes:
        """The key with this id; raises KeyError if unknown."""


@dataclass
class StaticKeys:
    """Keys given as ``id:base64key`` entries separated by commas; the first one is active."""

    keys: dict[str, bytes]
    active_id: str

    @classmethod
    def parse(cls, spec: str) -> StaticKeys:
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for entry in filter(None, (e.strip() for e in spec.split(","))):
            key_id, sep, b64 = entry.partition(":")
            if not sep or not key_id:
                raise ValueError(f"crypto: key entry {key_id!r} is not id:base64")
            key = base64.b64decode(b64, validate=True)
            if len(key) != KEY_BYTES:
                raise ValueError(f"crypto: key {key_id!r} is {len(key)} bytes, not {KEY_BYTES}")
            keys[key_id] = key
            order.append(key_id)
        if not order:
            raise ValueError("crypto: no evidence key given")
        return cls(keys=keys, active_id=order[0])

    @classmethod
    def from_file(cls, path: Path) -> StaticKeys:
        return cls.parse(",".join(path.read_text().split()))

    def active(self) -> tuple[str, bytes]:
        return self.active_id, self.keys[self.active_id]

    def key(self, key_id: str) -> bytes:
        return self.keys[key_id]


def new_key_entry(key_id: str | None = None) -> str:
    """A fresh ``id:base64key`` entry for a key file or ``ORACLE_EVIDENCE_KEYS``."""
    key_id = key_id or "k" + secrets.token_hex(4)
    return f"{key_id}:{base64.b64encode(os.urandom(KEY_BYTES)).decode()}"


def load_or_create_keyfile(path: Path) -> StaticKeys:
    """Read the key file, creating it (mode 0600) with one fresh key if it does not exist."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(new_key_entry() + "\n")
    return StaticKeys.from_file(path)


@dataclass(frozen=True)
class Sealed:
    """One encrypted record as stored: key id, nonce, ciphertext with its 16-byte tag."""

    key_id: str
    nonce: bytes
    ciphertext: bytes


def seal(keys: KeyProvider, plaintext: bytes, aad: bytes) -> Sealed:
    """Encrypt ``plaintext`` with the active key; ``aad`` is authenticated, not stored."""
    key_id, key = keys.active()
    nonce = os.urandom(NONCE_BYTES)
    ct = AESGCM(key).encrypt(nonce, plaintext, key_id.encode() + b"|" + aad)
    return Sealed(key_id, nonce, ct)


def open_sealed(keys: KeyProvider, sealed: Sealed, aad: bytes) -> bytes:
    """Decrypt a record; any change to ciphertext, nonce, key id or ``aad`` raises."""
    try:
        key = keys.key(sealed.key_id)
    except KeyError:
        raise DecryptionError(f"crypto: unknown key id {sealed.key_id!r}") from None
    try:
        return AESGCM(key).decrypt(
            sealed.nonce, sealed.ciphertext, sealed.key_id.encode() + b"|" + aad
        )
    except InvalidTag:
        raise DecryptionError("crypto: authentication failed (record altered?)") from None
