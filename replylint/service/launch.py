"""What `replylint serve` checks before it starts: the server extra's install hint and the TLS files.

Standard library only, so it imports without the `server` extra: the CLI
uses it to say how to install that extra, and to refuse a missing,
unreadable or unusable certificate or key with one line (exit 2) instead of
a traceback from uvicorn once it is already starting.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import ConfigError


def install_hint(package_dir: Path | None = None) -> str:
    """How to install the `server` extra for this copy of replylint (it is not on the package index).

    From a source checkout the exact command with its folder; otherwise the
    two ways that work: the source folder or the wheel, each with `[server]`.
    """
    package_dir = package_dir or Path(__file__).resolve().parents[1]
    root = package_dir.parent
    if (root / "pyproject.toml").is_file() and (root / "replylint").is_dir():
        return f"pip install '{root}[server]'"
    return (
        "install replylint again with its server extra: pip install '.[server]' in replylint's source folder, "
        f"or pip install './replylint-{__version__}-py3-none-any.whl[server]' next to its wheel"
    )


@dataclass(frozen=True)
class TLSFiles:
    """A certificate chain and its private key that load (and match), for uvicorn's ssl_* settings."""

    certfile: Path
    keyfile: Path
    password: str | None = None

    def uvicorn_options(self) -> dict[str, str | None]:
        return {"ssl_certfile": str(self.certfile), "ssl_keyfile": str(self.keyfile),
                "ssl_keyfile_password": self.password}


def tls_files(certfile: Path | None, keyfile: Path | None, password: str | None = None) -> TLSFiles | None:
    """None for plain HTTP; the checked files for HTTPS; a one-line `ConfigError` for anything unusable."""
    if certfile is None and keyfile is None:
        if password:
            raise ConfigError(
                "--ssl-keyfile-password (or REPLYLINT_SSL_KEYFILE_PASSWORD) needs --ssl-certfile and --ssl-keyfile"
            )
        return None
    if certfile is None or keyfile is None:
        given, missing = ("--ssl-certfile", "--ssl-keyfile") if keyfile is None else ("--ssl-keyfile", "--ssl-certfile")
        raise ConfigError(f"{given} needs {missing} too: give the certificate and its private key, or neither")
    for option, path in (("--ssl-certfile", certfile), ("--ssl-keyfile", keyfile)):
        _readable(option, path)
    try:  # the certificate alone first, so an error can name the file at fault
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=str(certfile))
    except ssl.SSLError as exc:
        raise ConfigError(f"--ssl-certfile {certfile}: not a PEM certificate ({_reason(exc)})") from None

    def no_password() -> bytes:
        # Without this OpenSSL would ask for the pass phrase on the terminal.
        raise ConfigError(f"--ssl-keyfile {keyfile}: the key is encrypted; give --ssl-keyfile-password "
                          "(or set REPLYLINT_SSL_KEYFILE_PASSWORD)")

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(certfile, keyfile, password if password else no_password)
    except ssl.SSLError as exc:
        if "KEY_VALUES_MISMATCH" in str(exc):
            raise ConfigError(f"--ssl-keyfile {keyfile} is not the private key of --ssl-certfile {certfile}") from None
        if password and _encrypted(keyfile):
            raise ConfigError(f"--ssl-keyfile {keyfile}: wrong --ssl-keyfile-password") from None
        raise ConfigError(f"--ssl-keyfile {keyfile}: not a PEM private key OpenSSL can load ({_reason(exc)})") from None
    except OSError as exc:  # read again by OpenSSL: a file that vanished in between
        raise ConfigError(f"cannot read the certificate or key: {exc.strerror or exc}") from None
    return TLSFiles(certfile, keyfile, password or None)


def _readable(option: str, path: Path) -> None:
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except FileNotFoundError:
        raise ConfigError(f"{option} {path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{option} {path}: is a folder, not a PEM file") from None
    except OSError as exc:
        raise ConfigError(f"{option} {path}: cannot read it ({exc.strerror or exc})") from None


def _reason(exc: ssl.SSLError) -> str:
    return str(exc.reason or exc.strerror or exc)


def _encrypted(keyfile: Path) -> bool:
    """A PEM key under a pass phrase: PKCS#8 `ENCRYPTED PRIVATE KEY`, or the traditional `Proc-Type: 4,ENCRYPTED`."""
    try:
        head = keyfile.read_bytes()[:4096]
    except OSError:
        return False
    return b"ENCRYPTED PRIVATE KEY" in head or b"Proc-Type: 4,ENCRYPTED" in head
