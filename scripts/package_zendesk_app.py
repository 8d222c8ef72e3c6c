"""Build the Zendesk app's zip (what `zcli apps:package` uploads), after checking it.

    python scripts/package_zendesk_app.py --domain replylint.acme.com
    python scripts/package_zendesk_app.py --app examples/zendesk-app --out dist/replylint-zendesk-app.zip

The zip holds the same files as `zcli apps:package examples/zendesk-app`:
everything in the app folder except dotfiles, zcli's own `tmp/` and what
`.zcliignore` lists (the node tests), with the folders as entries of their own.
Unlike zcli's, it is reproducible: entries sorted, fixed timestamps and modes.
zcli also asks Zendesk to validate the package (POST /api/v2/apps/validate,
which needs a login); this script checks it here instead, against the rules
of Zendesk's own validator (the zendesk_apps_support gem: manifest, parameters,
locations, translations, file types, and the warnings it gives about secure
settings and secrets) plus this app's: logos of the sizes Zendesk's app
scaffold uses, every setting labelled in every language.

The bearer token is a secure setting, and Zendesk's proxy only puts a secure
setting into requests to a host in the manifest's `domainWhitelist`. `--domain`
writes your replylint host there (in the zip only: the folder is not changed);
the example host `replylint.example.com` is refused.

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "examples" / "zendesk-app"
OUT = ROOT / "dist" / "replylint-zendesk-app.zip"
PLACEHOLDER_DOMAIN = "replylint.example.com"

# Fixed so that the same sources give the same bytes (zip timestamps cannot go before 1980).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# From zendesk_apps_support (lib/zendesk_apps_support/...):
FRAMEWORK_VERSIONS = {"2.0"}  # app_version.rb: the versions served
PARAMETER_TYPES = {"text", "checkbox", "url", "number", "multiline", "hidden", "oauth"}  # manifest/parameter.rb (mtls is gated)
SECURE_SCOPES = {"header", "body", "url", "jwt_secret_key", "jwt_claim", "basic_auth_username", "basic_auth_password"}
BOOLEAN_FIELDS = ("requirementsOnly", "marketingOnly", "singleInstall", "signedUrls", "private")
STRING_FIELDS = ("defaultLocale", "version", "frameworkVersion", "remoteInstallationURL", "termsConditionsURL", "gaID")
SUPPORT_LOCATIONS = {  # location.rb, Support's
    "top_bar", "nav_bar", "ticket_sidebar", "new_ticket_sidebar", "user_sidebar", "organization_sidebar",
    "background", "modal", "ticket_editor", "system_top_bar",
}
HOSTS = {"support", "chat", "sell"}
VALID_LOCALE = re.compile(r"^[a-z]{2,3}(-\w{2,3})?$")  # validations/translations.rb
UNSUPPORTED_EXTENSIONS = {  # validations/mime.rb (by extension only)
    "rar", "zip", "gzip", "pdf", "doc", "docx", "avi", "bin", "bz", "bz2", "csh", "sh", "jar", "mp3", "mpeg",
    "odt", "pptx", "ppt", "xls", "xlsx", "7z",
}
SECURABLE_NAME = re.compile("token|key|pwd|password", re.IGNORECASE)  # validations/secure_settings.rb
SECRET_KEYWORDS = (  # validations/secrets.rb (case-sensitive, as there)
    "password", "secret", "secretToken", "secret_token", "auth_key", "authKey", "auth_pass", "authPass",
    "auth_user", "AuthUser", "api_key",
)
SECRET_PATTERNS = {  # the generic ones of validations/secrets.rb
    "Token": re.compile(r"([tT][oO][kK][eE][nN]( [:\"=-]|[:\"=-]).*.[0-9a-zA-Z+_.-]{4,156})"),
    "Password": re.compile(r"([pP][aA][sS][sS][wW][oO][rR][dD].*.[0-9a-zA-Z+_.-]{4,156})"),
    "Generic Secret": re.compile(r"(?m)^([sS][eE][cC][rR][eE][tT]( [:\"=-]|[:\"=-]).*.[0-9a-zA-Z+_.-]{4,156})"),
}
TEXT_FILE = re.compile(r".*(html?|xml|js|json?)$")  # package.rb text_files
HTTP_URL = re.compile(r"\bhttp://[^\s'\"<>()]+")  # validations/requests.rb warns about plain-http URLs

# This app's own rules: the logo sizes of Zendesk's app scaffold (zendesk/app_scaffolds, packages/basic/assets).
LOGOS = {"assets/logo.png": (320, 320), "assets/logo-small.png": (128, 128)}
APP_STRINGS = ("name", "short_description", "long_description", "installation_instructions")
HOSTNAME = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class PackageError(Exception):
    """The app would not package: the message lists why."""


# ---------------------------------------------------------------- which files


def _ignore_patterns(app: Path) -> list[re.Pattern[str]]:
    """`.zcliignore` as zcli reads it: one glob a line, `#` comments, matched on the whole relative path."""
    path = app / ".zcliignore"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    patterns = []
    for line in ["tmp/**", *lines]:
        glob = line.strip()
        if not glob or glob.startswith("#"):
            continue
        regex = ""
        i = 0
        while i < len(glob):
            if glob.startswith("/**", i) and i + 3 == len(glob):
                regex += "(/.*)?"  # dir/** is the folder and everything in it
                i += 3
            elif glob.startswith("**", i):
                regex += ".*"
                i += 2
            elif glob[i] == "*":
                regex += "[^/]*"
                i += 1
            elif glob[i] == "?":
                regex += "[^/]"
                i += 1
            else:
                regex += re.escape(glob[i])
                i += 1
        patterns.append(re.compile(regex + r"\Z"))
    return patterns


def app_files(app: Path) -> dict[str, bytes]:
    """The files zcli would put in the package, by relative path (sorted)."""
    app = app.resolve()
    if not (app / "manifest.json").is_file():
        raise PackageError(f"no manifest.json in {app}")
    ignore = _ignore_patterns(app)
    files: dict[str, bytes] = {}
    for path in sorted(app.rglob("*")):
        rel = path.relative_to(app).as_posix()
        if any(part.startswith(".") for part in PurePosixPath(rel).parts):
            continue  # zcli's glob skips dotfiles and dot-folders
        if any(p.match(rel) for p in ignore):
            continue
        if path.is_symlink():
            raise PackageError(f"{rel} is a symbolic link: Zendesk refuses packages with links")
        if path.is_file():
            files[rel] = path.read_bytes()
    return dict(sorted(files.items()))


# ---------------------------------------------------------------- the checks


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk, or None when it is not a PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [k for k, _ in pairs]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"duplicate keys: {', '.join(dupes)}")
    return dict(pairs)


def _flatten(node: object, prefix: str = "") -> dict[str, object]:
    if not isinstance(node, dict):
        return {prefix: node}
    out: dict[str, object] = {}
    for key, value in node.items():
        out.update(_flatten(value, f"{prefix}.{key}" if prefix else key))
    return out


def _valid_http_url(value: object) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def validate(files: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """(errors, warnings) for a package given as {relative path: bytes}."""
    errors: list[str] = []
    warnings: list[str] = []

    if "manifest.json" not in files:
        nested = [p for p in files if p.endswith("/manifest.json")]
        return ([f"manifest.json must be at the root of the package, not {nested[0]}"] if nested
                else ["no manifest.json"]), warnings
    try:
        manifest = json.loads(files["manifest.json"].decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except ValueError as exc:
        return [f"manifest.json is not valid JSON: {exc}"], warnings
    if not isinstance(manifest, dict):
        return ["manifest.json must hold a JSON object"], warnings

    # Required keys and their types.
    author = manifest.get("author")
    if not isinstance(author, dict):
        errors.append("manifest: author is required (an object with name and email)")
    else:
        for field in ("name", "email"):
            if not isinstance(author.get(field), str) or not author[field].strip():
                errors.append(f"manifest: author.{field} must be a non-empty string")
        if "url" in author and not _valid_http_url(author["url"]):
            errors.append("manifest: author.url must be an http(s) URL")
    for field in STRING_FIELDS:
        if field in manifest and not isinstance(manifest[field], str):
            errors.append(f"manifest: {field} must be a string")
    for field in BOOLEAN_FIELDS:
        if field in manifest and not isinstance(manifest[field], bool):
            errors.append(f"manifest: {field} must be true or false")
    if manifest.get("frameworkVersion") not in FRAMEWORK_VERSIONS:
        errors.append(f"manifest: frameworkVersion must be one of {sorted(FRAMEWORK_VERSIONS)}, "
                      f"not {manifest.get('frameworkVersion')!r}")

    locale = manifest.get("defaultLocale")
    if not isinstance(locale, str) or not VALID_LOCALE.match(locale):
        errors.append(f"manifest: defaultLocale must be a locale such as 'en', not {locale!r}")
    elif f"translations/{locale}.json" not in files:
        errors.append(f"translations/{locale}.json is missing (the default locale)")

    # Locations: every one with a URL of an asset in the package or an https address.
    location = manifest.get("location")
    if not isinstance(location, dict) or not location:
        errors.append("manifest: location is required")
    else:
        for host, places in location.items():
            if host not in HOSTS:
                errors.append(f"manifest: {host} is not a Zendesk product apps can be in")
                continue
            if not isinstance(places, dict) or not places:
                errors.append(f"manifest: location.{host} must name at least one location")
                continue
            for name, options in places.items():
                where = f"location.{host}.{name}"
                if host == "support" and name not in SUPPORT_LOCATIONS:
                    errors.append(f"manifest: {name} is not a Support location")
                url = options if isinstance(options, str) else (options or {}).get("url")
                if not isinstance(url, str) or not url:
                    errors.append(f"manifest: {where} needs a url (framework 2.0 apps are iframes)")
                elif "{{setting." not in url:
                    parts = urlsplit(url)
                    if parts.scheme:
                        if parts.scheme != "https" and parts.hostname != "localhost":
                            errors.append(f"manifest: {where}.url {url} must use https")
                    elif not parts.path.startswith("assets/") or parts.path not in files:
                        errors.append(f"manifest: {where}.url {url} is not a file under assets/ in the package")
                if isinstance(options, dict) and "flexible" in options and not isinstance(options["flexible"], bool):
                    errors.append(f"manifest: {where}.flexible must be true or false")

    # domainWhitelist: bare host names.
    whitelist = manifest.get("domainWhitelist")
    if whitelist is not None:
        if not isinstance(whitelist, list) or not all(isinstance(d, str) for d in whitelist):
            errors.append("manifest: domainWhitelist must be a list of host names")
            whitelist = []
        for domain in whitelist:
            if not HOSTNAME.match(domain):
                errors.append(f"manifest: domainWhitelist entry {domain!r} must be a host name "
                              "(no https://, no path, no port)")

    # Parameters (the app's settings).
    parameters = manifest.get("parameters", [])
    if not isinstance(parameters, list) or not all(isinstance(p, dict) for p in parameters):
        errors.append("manifest: parameters must be a list of objects")
        parameters = []
    names = [p.get("name") for p in parameters]
    for name in sorted({n for n in names if names.count(n) > 1}, key=str):
        errors.append(f"manifest: parameter {name!r} is defined twice")
    for p in parameters:
        name = p.get("name")
        where = f"parameters[name={name!r}]"
        if not isinstance(name, str) or not name:
            errors.append(f"manifest: {where}: every parameter needs a name")
        if name == "name":
            errors.append("manifest: a parameter cannot be called 'name'")
        kind = p.get("type", "text")
        if kind not in PARAMETER_TYPES:
            errors.append(f"manifest: {where}: type {kind!r} is not one of {sorted(PARAMETER_TYPES)}")
        if kind == "oauth" and "oauth" not in manifest:
            errors.append(f"manifest: {where}: an oauth parameter needs the manifest's oauth section")
        for flag in ("required", "secure"):
            if flag in p and not isinstance(p[flag], bool):
                errors.append(f"manifest: {where}.{flag} must be true or false")
        secure = p.get("secure") is True
        if kind == "hidden" and p.get("required"):
            errors.append(f"manifest: {where}: a hidden parameter cannot be required")
        if kind == "oauth" and secure:
            errors.append(f"manifest: {where}: an oauth parameter cannot be secure")
        if "scopes" in p:
            scopes = p["scopes"]
            if not secure:
                errors.append(f"manifest: {where}.scopes is only for secure parameters")
            if not isinstance(scopes, list) or not scopes:
                errors.append(f"manifest: {where}.scopes must be a non-empty list")
            else:
                unknown = [s for s in scopes if s not in SECURE_SCOPES]
                if unknown:
                    errors.append(f"manifest: {where}.scopes has unknown values {unknown}; "
                                  f"allowed: {sorted(SECURE_SCOPES)}")
        if secure and not p.get("scopes"):
            warnings.append(f"manifest: {where} is secure but has no scopes (where the proxy may put it)")
        if "default" in p and (secure or kind == "hidden"):
            warnings.append(f"manifest: {where}: defaults of secure or hidden parameters are not stored securely")
        if isinstance(name, str) and SECURABLE_NAME.search(name) and kind == "text" and not secure:
            warnings.append(f"manifest: {where} looks like a credential: make it secure")
    if any(p.get("secure") is True for p in parameters) and not whitelist:
        errors.append("manifest: secure parameters need domainWhitelist: Zendesk's proxy only puts a secure "
                      "setting into requests to the hosts listed there")

    # Translations.
    param_names = [n for n in names if isinstance(n, str)]
    translations = {p: data for p, data in files.items() if p.startswith("translations/")}
    keysets = {}
    for path, data in translations.items():
        match = re.fullmatch(r"translations/(.*)\.json", path)
        if not match:
            continue
        if not VALID_LOCALE.match(match.group(1)):
            errors.append(f"{path}: {match.group(1)!r} is not a locale")
        try:
            doc = json.loads(data.decode("utf-8"))
        except ValueError as exc:
            errors.append(f"{path} is not valid JSON: {exc}")
            continue
        if not isinstance(doc, dict):
            errors.append(f"{path} must hold a JSON object")
            continue
        app = doc.get("app") if isinstance(doc.get("app"), dict) else {}
        for key in APP_STRINGS:
            if not isinstance(app.get(key), str) or not app[key].strip():
                errors.append(f"{path}: app.{key} is missing")
        labels = app.get("parameters", {})
        if not isinstance(labels, dict):
            errors.append(f"{path}: app.parameters must be an object")
            labels = {}
        for key, leaf in labels.items():
            if not isinstance(leaf, dict) or "label" not in leaf:
                errors.append(f"{path}: app.parameters.{key} needs a label")
        for name in param_names:
            leaf = labels.get(name)
            if not isinstance(leaf, dict) or not all(isinstance(leaf.get(k), str) and leaf[k].strip()
                                                     for k in ("label", "helpText")):
                errors.append(f"{path}: setting {name} needs app.parameters.{name}.label and .helpText")
        keysets[path] = set(_flatten(doc))
    if keysets:
        reference = keysets.get(f"translations/{locale}.json") or next(iter(keysets.values()))
        for path, keys in keysets.items():
            missing, extra = sorted(reference - keys), sorted(keys - reference)
            if missing or extra:
                errors.append(f"{path}: keys differ from the default locale's (missing {missing}, extra {extra})")

    # Logos.
    for path, size in LOGOS.items():
        got = png_size(files.get(path, b""))
        if path not in files:
            errors.append(f"{path} is missing ({size[0]}x{size[1]} PNG)")
        elif got != size:
            errors.append(f"{path} must be a {size[0]}x{size[1]} PNG, not {got or 'something else'}")

    # Files Zendesk refuses, and what it warns about.
    for path, data in files.items():
        if PurePosixPath(path).suffix.lstrip(".").lower() in UNSUPPORTED_EXTENSIONS:
            errors.append(f"{path}: Zendesk does not accept this file type in an app")
        if not TEXT_FILE.match(path):
            continue
        text = data.decode("utf-8", errors="replace")
        if path.endswith((".js", ".jsx", ".html", ".htm")):
            for url in HTTP_URL.findall(text):
                warnings.append(f"{path}: plain-http address {url}")
        for label, pattern in SECRET_PATTERNS.items():
            if pattern.search(text):
                warnings.append(f"{path}: Zendesk would flag a possible {label}")
        hits = [k for k in SECRET_KEYWORDS if k in text]
        if hits:
            warnings.append(f"{path}: Zendesk would flag possible secrets ({', '.join(hits)})")
    return errors, warnings


# ---------------------------------------------------------------- the zip


def with_domains(files: dict[str, bytes], domains: list[str]) -> dict[str, bytes]:
    """The package with domainWhitelist set to `domains` in its manifest."""
    manifest = json.loads(files["manifest.json"].decode("utf-8"))
    manifest["domainWhitelist"] = list(domains)
    return {**files, "manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}


def write_zip(files: dict[str, bytes], out: Path) -> None:
    """Folders as their own entries, as zcli's archive has them; everything sorted, dated 1980-01-01."""
    folders = {str(parent) + "/" for path in files for parent in PurePosixPath(path).parents if str(parent) != "."}
    entries = sorted([*folders, *files])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # unix, so that the modes below are read
            if name.endswith("/"):
                info.external_attr = (0o40755 << 16) | 0x10
                archive.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, files[name])
    tmp.replace(out)


def build(app: Path = APP, out: Path = OUT, domains: list[str] | None = None) -> tuple[Path, list[str]]:
    """Check and zip the app; returns the zip's path and Zendesk's warnings. Raises PackageError."""
    files = app_files(app)
    if domains:
        try:
            files = with_domains(files, domains)
        except (KeyError, ValueError) as exc:
            raise PackageError(f"cannot set domainWhitelist: no readable manifest.json ({exc})") from exc
    errors, warnings = validate(files)
    try:
        manifest = json.loads(files["manifest.json"])
    except (KeyError, ValueError):
        manifest = None
    whitelist = manifest.get("domainWhitelist") if isinstance(manifest, dict) else None
    if isinstance(whitelist, list) and PLACEHOLDER_DOMAIN in whitelist:
        errors.append(f"domainWhitelist still holds the example host {PLACEHOLDER_DOMAIN}: pass --domain with the "
                      "host of your replylint server, or write it in manifest.json")
    if errors:
        raise PackageError("the app does not package:\n  - " + "\n  - ".join(errors))
    write_zip(files, out)
    return out, warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", type=Path, default=APP, help="the app folder (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=OUT, help="the zip to write (default: %(default)s)")
    parser.add_argument("--domain", action="append", default=[], metavar="HOST",
                        help="host of your replylint server for domainWhitelist (repeat for several); "
                             "written into the zip's manifest only")
    args = parser.parse_args(argv)
    try:
        out, warnings = build(args.app, args.out, [d.strip().lower() for d in args.domain] or None)
    except PackageError as exc:
        print(exc, file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    print(f"{out} ({len(names)} entries, {out.stat().st_size} bytes)")
    for name in names:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
