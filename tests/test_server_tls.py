"""`replylint serve` over HTTPS (--ssl-certfile/--ssl-keyfile) and its one-line errors for unusable TLS files."""

from __future__ import annotations

import datetime
import ipaddress
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _self_signed(folder: Path, name: str = "server", password: str | None = None) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key (encrypted with `password`)."""
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        if password is not None:
            pytest.skip("an encrypted key is made with the cryptography package")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True, capture_output=True,
        )
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                  else serialization.NoEncryption())
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption))
    return cert, key


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REPLYLINT_NLP": "blank"}
    for name in ("REPLYLINT_TOKEN", "REPLYLINT_SSL_KEYFILE_PASSWORD"):
        env.pop(name, None)
    return env


def _serve(tmp_path: Path, *options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`replylint serve` that is expected to refuse to start: it must end on its own."""
    return subprocess.run(
        [sys.executable, "-m", "replylint", "serve", "--port", str(_free_port()), *options],
        cwd=tmp_path, env=env or _env(), capture_output=True, text=True, timeout=120, check=False,
    )


def test_v1_check_over_https_and_plain_http_is_refused(tmp_path):
    cert, key = _self_signed(tmp_path)
    (tmp_path / "replylint.toml").write_text("")
    port = _free_port()
    log_file = tmp_path / "server.log"
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "replylint", "serve", "--port", str(port), "--config", "replylint.toml",
             "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)],
            cwd=tmp_path, env=_env(), stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"https://127.0.0.1:{port}"
    trust = ssl.create_default_context(cafile=str(cert))  # verify against the self-signed certificate
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log_file.read_text()
            try:
                if httpx.get(f"{url}/readyz", verify=trust, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "replylint serve --ssl-certfile did not become ready"
            time.sleep(0.2)
        response = httpx.post(f"{url}/v1/check", verify=trust, timeout=30,
                              json={"reply": "Come già detto, non possiamo rimborsare la spedizione.", "lang": "it"})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        report = response.json()
        assert report["decision"] in {"allow", "warn", "block"} and report["language"] == "it"
        assert "NEG120" in {f["code"] for f in report["findings"]}
        # The same port does not speak plain HTTP: the TLS handshake expected there fails.
        with pytest.raises(httpx.TransportError) as plain:
            httpx.post(f"http://127.0.0.1:{port}/v1/check", json={"reply": "Ciao"}, timeout=5)
        assert not isinstance(plain.value, httpx.TimeoutException)  # refused at once, not left hanging
        # A client that does not trust the self-signed certificate is refused.
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/healthz", timeout=5)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    log_text = log_file.read_text()
    # uvicorn shuts down gracefully, then re-raises the SIGTERM it caught: 0 or -15 are both a clean stop.
    assert code in (0, -signal.SIGTERM) and "Finished server process" in log_text, log_text
    assert "Uvicorn running on https://127.0.0.1" in log_text and "Traceback" not in log_text


def _bad_cases(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    cert, key = _self_signed(tmp_path)
    other_cert, _ = _self_signed(tmp_path, "other")
    secret_cert, secret_key = _self_signed(tmp_path, "secret", password="s3cret")
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("not a certificate\n")
    missing = tmp_path / "missing.pem"
    return {
        "cert only": (["--ssl-certfile", str(cert)], "--ssl-certfile needs --ssl-keyfile too"),
        "key only": (["--ssl-keyfile", str(key)], "--ssl-keyfile needs --ssl-certfile too"),
        "password only": (["--ssl-keyfile-password", "x"], "needs --ssl-certfile and --ssl-keyfile"),
        "missing cert": (["--ssl-certfile", str(missing), "--ssl-keyfile", str(key)], f"{missing}: no such file"),
        "missing key": (["--ssl-certfile", str(cert), "--ssl-keyfile", str(missing)], f"{missing}: no such file"),
        "folder": (["--ssl-certfile", str(tmp_path), "--ssl-keyfile", str(key)], "is a folder"),
        "cert not PEM": (["--ssl-certfile", str(not_pem), "--ssl-keyfile", str(key)],
                         f"--ssl-certfile {not_pem}: not a PEM certificate"),
        "key not PEM": (["--ssl-certfile", str(cert), "--ssl-keyfile", str(not_pem)],
                        f"--ssl-keyfile {not_pem}: not a PEM private key"),
        "other key": (["--ssl-certfile", str(other_cert), "--ssl-keyfile", str(key)], "is not the private key of"),
        "encrypted, no password": (["--ssl-certfile", str(secret_cert), "--ssl-keyfile", str(secret_key)],
                                   "the key is encrypted; give --ssl-keyfile-password"),
        "wrong password": (["--ssl-certfile", str(secret_cert), "--ssl-keyfile", str(secret_key),
                            "--ssl-keyfile-password", "wrong"], "wrong --ssl-keyfile-password"),
    }


CASES = ["cert only", "key only", "password only", "missing cert", "missing key", "folder", "cert not PEM", "key not PEM",
         "other key", "encrypted, no password", "wrong password"]


@pytest.mark.parametrize("case", CASES)
def test_unusable_tls_options_are_one_line_and_exit_2(case, tmp_path, monkeypatch, capsys):
    from replylint.cli import main

    started = []
    monkeypatch.setattr("replylint.service.server.serve", lambda *a, **k: started.append(a))
    monkeypatch.delenv("REPLYLINT_SSL_KEYFILE_PASSWORD", raising=False)
    monkeypatch.chdir(tmp_path)
    options, needle = _bad_cases(tmp_path)[case]
    assert main(["serve", *options]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith("replylint: error: ") and err.count("\n") == 0, err
    assert needle in " ".join(err.split()), err
    assert "Traceback" not in captured.err and not started


def test_an_encrypted_key_with_its_password_from_the_environment_is_accepted(tmp_path, monkeypatch):
    from replylint.cli import main

    cert, key = _self_signed(tmp_path, "secret", password="s3cret")
    started = []
    monkeypatch.setattr("replylint.service.server.serve", lambda *a, **k: started.append(k["tls"]))
    monkeypatch.setenv("REPLYLINT_SSL_KEYFILE_PASSWORD", "s3cret")
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)]) == 0
    assert started[0].uvicorn_options() == {"ssl_certfile": str(cert), "ssl_keyfile": str(key),
                                             "ssl_keyfile_password": "s3cret"}


def test_a_real_process_with_a_missing_key_exits_2_before_listening(tmp_path):
    cert, _ = _self_signed(tmp_path)
    result = _serve(tmp_path, "--ssl-certfile", str(cert), "--ssl-keyfile", str(tmp_path / "nope.key"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr
    assert "Traceback" not in result.stderr and "Uvicorn running" not in result.stderr + result.stdout
