"""The Zendesk app: its hook logic, and the zip an admin uploads.

The hook logic is tested by node's own test runner against a live replylint server: the
JavaScript suite starts `replylint serve` itself (only the ZAF client object, and with it
Zendesk's proxy, is faked); the first test makes it part of the Python suite so CI runs it.
The rest packages the app with scripts/package_zendesk_app.py and checks the zip and the
validator it runs (Zendesk's rules, as its zendesk_apps_support gem applies them).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_zendesk_app_suite_passes_against_a_live_server() -> None:
    node = shutil.which("node")
    assert node, "node is needed for the Zendesk app tests (it ships with this machine image)"
    env = {**os.environ, "PYTHON": sys.executable, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [node, "--test", str(ROOT / "examples" / "zendesk-app" / "test")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


# ---------------------------------------------------------------- packaging

APP = ROOT / "examples" / "zendesk-app"
SCRIPT = ROOT / "scripts" / "package_zendesk_app.py"
PACKAGED = [
    "assets/",
    "assets/i18n.js",
    "assets/iframe.html",
    "assets/logo-small.png",
    "assets/logo.png",
    "assets/main.js",
    "assets/replylint-hook.js",
    "manifest.json",
    "translations/",
    "translations/en.json",
    "translations/it.json",
]


def _packager():
    spec = importlib.util.spec_from_file_location("package_zendesk_app", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pkg = _packager()


def _package(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_package_holds_what_zcli_would_upload_and_passes_the_checks(tmp_path: Path) -> None:
    out = tmp_path / "app.zip"
    result = _package(tmp_path, "--domain", "replylint.acme.test", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no warnings either
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        files = {n: archive.read(n) for n in names if not n.endswith("/")}
    # manifest.json at the root, the assets and translations; no tests, no dotfiles (.zcliignore), nothing else.
    assert names == PACKAGED
    assert not any(n.startswith("test") or "/." in f"/{n}" for n in names)
    manifest = json.loads(files["manifest.json"])
    assert manifest["domainWhitelist"] == ["replylint.acme.test"]
    assert manifest["frameworkVersion"] == "2.0"
    assert manifest["location"] == {"support": {"ticket_sidebar": {"url": "assets/iframe.html", "flexible": True}}}
    token = next(p for p in manifest["parameters"] if p["name"] == "token")
    assert token == {"name": "token", "type": "text", "required": True, "secure": True, "scopes": ["header"]}
    assert pkg.png_size(files["assets/logo.png"]) == (320, 320)
    assert pkg.png_size(files["assets/logo-small.png"]) == (128, 128)
    # Apart from the manifest's domainWhitelist, the files are the app folder's, byte for byte.
    for name, data in files.items():
        if name != "manifest.json":
            assert data == (APP / name).read_bytes(), name
    assert pkg.validate(files) == ([], [])

    # Reproducible: the same sources give the same bytes.
    again = tmp_path / "again.zip"
    assert _package(tmp_path, "--domain", "replylint.acme.test", "--out", str(again)).returncode == 0
    assert again.read_bytes() == out.read_bytes()


def test_packaging_refuses_the_example_host_in_domain_whitelist(tmp_path: Path) -> None:
    result = _package(tmp_path, "--out", str(tmp_path / "app.zip"))
    assert result.returncode == 1
    assert "replylint.example.com" in result.stderr and "--domain" in result.stderr
    assert not (tmp_path / "app.zip").exists()
    bad = _package(tmp_path, "--domain", "https://replylint.acme.test/", "--out", str(tmp_path / "app.zip"))
    assert bad.returncode == 1 and "must be a host name" in bad.stderr


def test_the_app_folder_passes_the_checks_as_it_is() -> None:
    files = pkg.app_files(APP)
    assert sorted(files) == [n for n in PACKAGED if not n.endswith("/")]
    assert pkg.validate(files) == ([], [])


def test_both_languages_label_every_setting_and_say_the_same_things() -> None:
    manifest = json.loads((APP / "manifest.json").read_text(encoding="utf-8"))
    en = json.loads((APP / "translations" / "en.json").read_text(encoding="utf-8"))
    it = json.loads((APP / "translations" / "it.json").read_text(encoding="utf-8"))
    assert set(pkg._flatten(en)) == set(pkg._flatten(it))
    for doc in (en, it):
        for key in ("name", "short_description", "long_description", "installation_instructions"):
            assert doc["app"][key].strip()
        for parameter in manifest["parameters"]:
            leaf = doc["app"]["parameters"][parameter["name"]]
            assert leaf["label"].strip() and leaf["helpText"].strip()
    assert en["app"]["parameters"]["token"]["label"] != it["app"]["parameters"]["token"]["label"]


def test_the_browser_code_never_holds_the_token() -> None:
    scripts = {p.name: p.read_text(encoding="utf-8") for p in (APP / "assets").glob("*.js")}
    joined = "\n".join(scripts.values())
    assert "fetch(" not in joined
    assert "settings.token" not in joined and "settings['token']" not in joined
    assert "'Bearer {{setting.token}}'" in scripts["replylint-hook.js"]
    assert "secure: true" in scripts["replylint-hook.js"]


def _good() -> dict[str, bytes]:
    return pkg.with_domains(pkg.app_files(APP), ["replylint.acme.test"])


def _edit_manifest(files: dict[str, bytes], edit) -> dict[str, bytes]:
    manifest = json.loads(files["manifest.json"])
    edit(manifest)
    return {**files, "manifest.json": json.dumps(manifest).encode()}


def _param(name: str):
    return lambda m: next(p for p in m["parameters"] if p["name"] == name)


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda m: m.pop("author"), "author is required"),
    (lambda m: m.__setitem__("frameworkVersion", "1.0"), "frameworkVersion"),
    (lambda m: m.__setitem__("defaultLocale", "fr"), "translations/fr.json is missing"),
    (lambda m: m.pop("location"), "location is required"),
    (lambda m: m["location"]["support"].__setitem__("ticket_sidebar", {"url": "assets/nope.html"}),
     "not a file under assets/"),
    (lambda m: m["location"]["support"].__setitem__("ticket_sidebar", {"url": "http://acme.test/app"}),
     "must use https"),
    (lambda m: m["location"]["support"].__setitem__("sidebar", {"url": "assets/iframe.html"}),
     "not a Support location"),
    (lambda m: m["location"]["support"]["ticket_sidebar"].__setitem__("flexible", "yes"), "flexible"),
    (lambda m: m.pop("domainWhitelist"), "secure parameters need domainWhitelist"),
    (lambda m: m.__setitem__("domainWhitelist", ["https://replylint.acme.test"]), "must be a host name"),
    (lambda m: _param("timeoutMs")(m).__setitem__("type", "integer"), "type 'integer'"),
    (lambda m: _param("token")(m).__setitem__("secure", "true"), "secure must be true or false"),
    (lambda m: _param("failOpen")(m).__setitem__("scopes", ["header"]), "only for secure parameters"),
    (lambda m: _param("token")(m).__setitem__("scopes", ["cookie"]), "unknown values"),
    (lambda m: m["parameters"].append({"name": "token", "type": "text"}), "defined twice"),
    (lambda m: m["parameters"].append({"name": "name", "type": "text"}), "cannot be called 'name'"),
    (lambda m: m["parameters"].append({"name": "extra", "type": "text"}), "setting extra needs app.parameters.extra"),
    (lambda m: m.__setitem__("private", "yes"), "private must be true or false"),
])
def test_the_validator_refuses_what_zendesk_refuses(edit, expected: str) -> None:
    errors, _ = pkg.validate(_edit_manifest(_good(), edit))
    assert any(expected in e for e in errors), errors


def test_the_validator_checks_files_logos_and_translations() -> None:
    good = _good()
    small = good["assets/logo-small.png"]
    cases = {
        "wrong logo size": ({**good, "assets/logo.png": small}, "assets/logo.png must be a 320x320 PNG, not (128, 128)"),
        "missing logo": ({k: v for k, v in good.items() if k != "assets/logo-small.png"}, "logo-small.png is missing"),
        "nested manifest": ({f"app/{k}": v for k, v in good.items()}, "must be at the root"),
        "zip inside": ({**good, "assets/old.zip": b"PK"}, "does not accept this file type"),
        "label missing": ({**good, "translations/it.json": json.dumps(
            {"app": {**json.loads(good["translations/it.json"])["app"], "parameters": {"token": {"helpText": "x"}}}}
        ).encode()}, "app.parameters.token needs a label"),
        "not json": ({**good, "translations/it.json": b"{"}, "translations/it.json is not valid JSON"),
        "bad locale": ({**good, "translations/italian.json": good["translations/it.json"]}, "is not a locale"),
    }
    for name, (files, expected) in cases.items():
        errors, _ = pkg.validate(files)
        assert any(expected in e for e in errors), (name, errors)


def test_the_validator_warns_like_zendesk() -> None:
    good = _good()

    def not_secure(manifest) -> None:
        token = _param("token")(manifest)
        del token["secure"], token["scopes"]

    plain = _edit_manifest(good, not_secure)
    unscoped = _edit_manifest(good, lambda m: _param("token")(m).pop("scopes"))
    defaulted = _edit_manifest(good, lambda m: _param("token")(m).__setitem__("default", "abc"))
    http = {**good, "assets/main.js": good["assets/main.js"] + b"\n// see http://acme.test/doc\n"}
    secret = {**good, "assets/main.js": good["assets/main.js"] + b"\nconst token = 'abcdefgh';\n"}
    expectations = [
        (plain, "looks like a credential"),
        (unscoped, "has no scopes"),
        (defaulted, "not stored securely"),
        (http, "plain-http address http://acme.test/doc"),
        (secret, "possible Token"),
    ]
    for files, expected in expectations:
        _, warnings = pkg.validate(files)
        assert any(expected in w for w in warnings), (expected, warnings)
