"""TLS for the project's HTTP services: TLS 1.3 as the minimum, and a local CA for the demo.

``server_context`` is what uvicorn serves with when given a certificate and key; ``run`` is
``uvicorn.run`` serving with it, ``serve`` runs a service's app factory on its settings.
``local_ca`` creates (once) a CA and a certificate for 127.0.0.1/localhost signed by it, under
the runtime folder, for ``make demo``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import ipaddress
import ssl
from pathlib import Path
from typing import Protocol

import uvicorn
from uvicorn.supervisors import Multiprocess


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    """A server context that refuses anything older than TLS 1.3."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(cert, key)
    return ctx


class ServerSettings(Protocol):
    """What every HTTP service's settings name: where it listens, its certificate, its logs."""

    host: str
    port: int
    tls_cert: Path | None
    tls_key: Path | None
    log_level: str


def serve(factory: str, settings: ServerSettings, **kwargs) -> None:
    """Serve the app factory ``factory`` (``module:function``) as ``settings`` say, JSON logs
    included (esg.logs); ``kwargs`` are further uvicorn options."""
    from esg import logs

    logs.setup(settings.log_level)
    options = dict(factory=True, log_config=None, server_header=False, **kwargs)
    options.update(host=settings.host, port=settings.port, log_level=settings.log_level.lower())
    run(factory, cert=settings.tls_cert, key=settings.tls_key, **options)


def run(app: str, *, cert: Path | None, key: Path | None, **kwargs) -> None:
    """``uvicorn.run`` with HTTPS (TLS 1.3 minimum) when both ``cert`` and ``key`` are given."""
    if (cert is None) != (key is None):
        raise SystemExit("tls: give both a certificate and a key, or neither")
    if cert is not None:
        kwargs.update(ssl_certfile=str(cert), ssl_keyfile=str(key))
    config = _Tls13Config(app, **kwargs)
    server = uvicorn.Server(config)
    if config.workers > 1:
        sock = config.bind_socket()
        if "target" in inspect.signature(Multiprocess).parameters:
            Multiprocess(config, target=server.run, sockets=[sock]).run()
        else:
            # uvicorn 0.54 on: each worker process builds its server from the config.
            Multiprocess(config, sockets=[sock]).run()
    else:
        server.run()


class _Tls13Config(uvicorn.Config):
    """uvicorn's settings, with the SSL context replaced by ``server_context``'s (picklable for
    uvicorn's worker processes: a module-level class)."""

    def load(self) -> None:
        super().load()
        if self.is_ssl:
            self.ssl = server_context(Path(self.ssl_certfile), Path(self.ssl_keyfile))


def local_ca(folder: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) for localhost, created once in ``folder``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    ca_path, cert_path, key_path = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    if ca_path.exists() and cert_path.exists() and key_path.exists():
        return ca_path, cert_path, key_path
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ESG local development CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_path, cert_path, key_path
