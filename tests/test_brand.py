"""Brand profiles, accept markers and tone against context (issue #4): API, config files and CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import replylint
from replylint import ConfigError, UnknownRuleError
from replylint.cli import main
from replylint.config import find_config_file, load_config, merge

ROOT = Path(__file__).resolve().parent.parent
BRANDS = ROOT / "examples" / "brands.toml"
DRAFT = ROOT / "examples" / "it" / "bozza-brand.txt"

ACME = {
    "formality": "lei", "emoji": "never", "max_exclamations": 1, "avoid": {"problema": "situazione"},
    "terms": ["Orange Peeler 2000"], "signoff": "Il team Acme", "greeting": "Gentile",
}


def codes(text: str, brand: dict | None = None, **kw) -> list[str]:  # type: ignore[type-arg]
    config = {"select": ["BRD", "REG"]}
    if brand is not None:
        config.update(brands={"acme": brand}, brand="acme")
    return [f.code for f in replylint.check(text, lang=kw.pop("lang", "it"), config=config, **kw).findings]


# -- every brand field, from the API -------------------------------------------

def test_each_field_fires_only_with_a_profile() -> None:
    text = "Ciao Marta,\nci scusiamo per il problema! Il tuo orange peeler 2000 arriva domani!! 😊\nGiada"
    assert codes(text) == []
    found = codes(text, ACME, channel="email")
    assert sorted(set(found)) == ["BRD101", "BRD102", "BRD103", "BRD104", "BRD105", "BRD106", "REG102"]


def test_avoid_suggests_the_replacement_keeping_the_capital() -> None:
    report = replylint.check("Problema risolto.", lang="it", brand="acme",
                             config={"select": ["BRD101"], "brands": {"acme": ACME}})
    (finding,) = report.findings
    assert (finding.excerpt, finding.suggestions[0].replacement) == ("Problema", "Situazione")


def test_terms_suggest_the_exact_spelling() -> None:
    report = replylint.check("Il tuo orange-peeler 2000 è partito.", lang="it", brand="acme",
                             config={"select": ["BRD102"], "brands": {"acme": ACME}})
    assert [(f.excerpt, f.suggestions[0].replacement) for f in report.findings] == [
        ("orange-peeler 2000", "Orange Peeler 2000")
    ]


def test_english_formality() -> None:
    formal = {"formality": "formal"}
    assert codes("We'll send it, yeah.", formal, lang="en") == ["BRD107", "BRD107"]
    assert codes("We will send it today.", formal, lang="en") == []
    assert codes("Kindly note we regret to inform you.", {"formality": "casual"}, lang="en") == ["BRD107", "BRD107"]


def test_formality_table_applies_per_language() -> None:
    both = {"formality": {"it": "lei", "en": "formal"}}
    assert codes("Ciao Marta, ti ho scritto.", both) == ["REG102"]
    assert codes("We'll write.", both, lang="en") == ["BRD107"]


def test_brand_argument_beats_config_default() -> None:
    config = {"select": ["BRD"], "brands": {"a": {"emoji": "never"}, "b": {"emoji": "allowed"}}, "brand": "a"}
    assert [f.code for f in replylint.check("Grazie 😊", lang="it", config=config).findings] == ["BRD103"]
    assert replylint.check("Grazie 😊", lang="it", config=config, brand="b").findings == []


def test_unknown_brand_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown brand 'nope'.*configured: acme"):
        replylint.check("Grazie.", lang="it", brand="nope", config={"brands": {"acme": ACME}})


# -- accept ------------------------------------------------------------------------

def test_accept_argument_silences_a_code() -> None:
    text = "Non possiamo spedire prima di lunedì."
    assert "NEG101" in [f.code for f in replylint.check(text, lang="it").findings]
    assert "NEG101" not in [f.code for f in replylint.check(text, lang="it", accept=["NEG101"]).findings]
    with pytest.raises(UnknownRuleError):
        replylint.check(text, lang="it", accept=["XYZ999"])


def test_marker_silences_and_keeps_offsets() -> None:
    marker = "<!-- replylint: accept NEG101 -->"
    text = f"{marker}\nCome già detto, non possiamo spedire prima di lunedì."
    report = replylint.check(text, lang="it")
    found = {f.code: f for f in report.findings}
    assert "NEG101" not in found and "META101" not in found
    neg120 = found["NEG120"]
    assert text[neg120.span.start:neg120.span.end] == neg120.excerpt == "Come già detto"


def test_unused_marker_is_reported() -> None:
    text = "<!-- replylint: accept NEG101 -->\nCiao Marta, il pacco è partito oggi."
    report = replylint.check(text, lang="it", config={"select": ["META101"]})
    (finding,) = report.findings
    assert finding.code == "META101" and finding.span.start == 0 and "NEG101" in finding.message


# -- tone against context --------------------------------------------------------------

def test_playful_reply_to_angry_customer() -> None:
    reply = "Ops, doppio addebito 😅 Ti ho già rimborsato i 9,99 €."
    angry = "Mi avete addebitato due volte!!! Rivoglio i miei soldi SUBITO."
    found = replylint.check(reply, customer=angry, lang="it", config={"select": ["TCX101"]}).findings
    assert [f.excerpt for f in found] == ["Ops", "😅"]
    assert replylint.check(reply, lang="it", config={"select": ["TCX101"]}).findings == []


def test_personal_data_only_on_social() -> None:
    reply = "Ho rispedito l'ordine n. 55821 in Via Garibaldi 14, Torino: tracking a rosa.b@gmail.com."
    social = replylint.check(reply, lang="it", channel="social", config={"select": ["TCX102"]}).findings
    assert [f.excerpt for f in social] == ["ordine n. 55821", "Via Garibaldi 14", "rosa.b@gmail.com"]
    assert replylint.check(reply, lang="it", channel="email", config={"select": ["TCX102"]}).findings == []


# -- config files: discovery, merging, errors -----------------------------------------------

def test_replylint_toml_with_brands_is_discovered(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "replylint.toml").write_text('brand = "acme"\n[brands.acme]\nformality = "lei"\nemoji = "never"\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    found = find_config_file(sub)
    assert found == tmp_path / "replylint.toml"
    config = load_config(found)
    assert config.brand == "acme" and config.brands["acme"].formality_for("it") == "lei"
    assert merge(config, ignore=["BRD103"]).brands == config.brands


def test_pyproject_brands(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.replylint.brands.acme]\nterms = ["Orange Peeler 2000"]\nsignoff = "Il team Acme"\n')
    config = load_config(path)
    assert config.brands["acme"].terms == ["Orange Peeler 2000"]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[brands.acme]\ncolour = "red"\n', "unknown key 'brands.acme.colour'"),
        ('[brands.acme]\nemoji = "sometimes"\n', "key 'brands.acme.emoji'"),
        ('[brands.acme]\nformality = "du"\n', "tu, lei, voi"),
        ('[brands.acme]\nmax_exclamations = -1\n', "key 'brands.acme.max_exclamations'"),
        ('[brands.acme]\nsignoff = "/il team (acme/"\n', "valid regular expression"),
        ('[brands.acme]\nterms = "Acme"\n', "key 'brands.acme.terms'"),
        ('brand = "other"\n[brands.acme]\nemoji = "never"\n', "key 'brand'"),
    ],
)
def test_malformed_brand_config_gives_one_clear_error(tmp_path: Path, toml: str, expected: str) -> None:
    path = tmp_path / "replylint.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(str(path)) and expected in message and "\n" not in message


# -- CLI -------------------------------------------------------------------------------------

def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main([*map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_two_example_brands_disagree_on_one_draft(capsys) -> None:
    verdicts = {}
    for brand in ("zesty", "fidelia"):
        code, out, err = run(capsys, "check", "--config", BRANDS, "--brand", brand, "--format", "json", DRAFT)
        assert code in (0, 1), err
        verdicts[brand] = {f["code"] for f in json.loads(out)["findings"]}
    assert {"REG102", "BRD103", "BRD105", "BRD101"} <= verdicts["fidelia"] - verdicts["zesty"]
    assert not any(code.startswith(("BRD", "REG")) for code in verdicts["zesty"])  # zesty accepts the draft


def test_cli_brand_from_discovered_config_and_accept(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "replylint.toml").write_text('[brands.acme]\nemoji = "never"\nmax_exclamations = 0\n')
    draft = tmp_path / "d.txt"
    draft.write_text("Grazie mille! 😊\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "--lang", "it", "--select", "BRD", "--brand", "acme", "--format", "json", draft)
    assert {f["code"] for f in json.loads(out)["findings"]} == {"BRD103", "BRD104"}
    code, out, _ = run(capsys, "check", "--lang", "it", "--select", "BRD", "--brand", "acme", "--accept", "BRD103",
                       "--format", "json", draft)
    assert {f["code"] for f in json.loads(out)["findings"]} == {"BRD104"}


def test_cli_unknown_brand_exits_2(capsys) -> None:
    code, _, err = run(capsys, "check", "--config", BRANDS, "--brand", "acme", DRAFT)
    assert code == 2 and "unknown brand 'acme'" in err and err.count("\n") == 1
