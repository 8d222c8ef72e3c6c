"""The lemma tables replylint ships (replylint/data/lemmas) instead of depending on spacy-lookups-data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

import replylint
from replylint.text import nlp

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(replylint.__file__).resolve().parent

# Form → lemma through replylint's blank pipeline (tokenizer, sentences, lookup lemmatizer):
# Italian verb forms give the infinitive, whatever their case; English plurals and pasts the base.
KNOWN = {
    "it": {
        "Posso": "potere", "abbiamo": "avere", "spedito": "spedire", "rimborseremo": "rimborsare",
        "scusiamo": "scusare", "vorremmo": "volere", "siamo": "essere", "spese": "spesa",
    },
    "en": {
        "shipped": "ship", "refunded": "refund", "went": "go", "were": "be",
        "orders": "order", "boxes": "box", "parcels": "parcel", "children": "child",
    },
}


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_tables_are_shipped_in_the_package(lang: str) -> None:
    path = nlp.lemma_table_path(lang)
    assert path is not None
    assert path == PACKAGE / "data" / "lemmas" / f"{lang}_lemma_lookup.json.gz"
    assert "spacy_lookups_data" not in path.parts
    assert (path.parent / f"{lang}_license.txt").is_file()
    assert (path.parent / "README.md").is_file()


def test_a_language_without_a_table_has_none() -> None:
    assert nlp.lemma_table_path("fr") is None
    assert nlp._read_lemma_table("fr") is None


@pytest.mark.parametrize(("lang", "size"), [("it", 333_682), ("en", 41_582)])
def test_the_tables_load(lang: str, size: int) -> None:
    table = nlp._read_lemma_table(lang)
    assert isinstance(table, dict) and len(table) == size
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in list(table.items())[:1000])


@pytest.mark.parametrize("lang", ["it", "en"])
def test_known_forms_lemmatise_through_the_pipeline(lang: str) -> None:
    doc = nlp.pipeline(lang)(" ".join(KNOWN[lang]))
    assert {t.text: t.lemma_ for t in doc} == KNOWN[lang]
    # The pipeline's lemmatizer holds the table read from the package folder.
    lemmatizer = nlp.pipeline(lang).get_pipe("replylint_lemmatizer")
    assert lemmatizer._lookup_table() is nlp._LEMMA_TABLES[lang]
    assert len(nlp._LEMMA_TABLES[lang]) == len(nlp._read_lemma_table(lang))


def test_spacy_lookups_data_is_not_a_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.replace("_", "-").startswith("spacy-lookups-data")]


def test_pipelines_and_checks_work_without_spacy_lookups_data() -> None:
    """In a fresh process where `import spacy_lookups_data` fails (as when it is not installed)."""
    script = textwrap.dedent(
        f"""
        import importlib.abc, json, sys

        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "spacy_lookups_data":
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
                return None

        sys.meta_path.insert(0, Block())
        import replylint
        from replylint.text import nlp

        lemmas = {{lang: {{t.text: t.lemma_ for t in nlp.pipeline(lang)(text)}}
                  for lang, text in {json.dumps({lang: " ".join(forms) for lang, forms in KNOWN.items()})}.items()}}
        report = replylint.check("Gentile cliente, Le abbiamo spedito il pacco ieri. Cordiali saluti", lang="it")
        print(json.dumps({{
            "lemmas": lemmas,
            "sizes": {{lang: len(table) for lang, table in nlp._LEMMA_TABLES.items()}},
            "score": report.score,
            "loaded": sorted(m for m in sys.modules if m.startswith("spacy_lookups_data")),
        }}))
        """
    )
    env = {**os.environ, "REPLYLINT_NLP": "blank"}
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["lemmas"] == KNOWN
    assert result["sizes"] == {"it": 333_682, "en": 41_582}
    assert result["score"] is not None
    assert result["loaded"] == []


# -- looked up on disk (text/lemma_store.py) ----------------------------------------------------

from replylint.text import lemma_store  # noqa: E402


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_database_gives_every_form_the_lemma_the_table_gives(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("REPLYLINT_NO_CACHE", raising=False)
    table = nlp._read_lemma_table(lang)
    database = nlp._open_lemma_table(lang)
    assert isinstance(database, lemma_store.SqliteLemmas)
    assert len(database) == len(table)
    assert all(database.get(form) == lemma for form, lemma in table.items())
    assert database.get("parolachenonesiste") is None
    assert isinstance(nlp._open_lemma_table(lang), lemma_store.SqliteLemmas)  # the second run opens it
    assert len(list(tmp_path.glob(f"lemmas-{lang}-*.sqlite3"))) == 1


def test_a_damaged_database_falls_back_to_the_table_and_is_written_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("REPLYLINT_NO_CACHE", raising=False)
    assert isinstance(nlp._open_lemma_table("en"), lemma_store.SqliteLemmas)
    (database,) = tmp_path.glob("lemmas-en-*.sqlite3")
    database.write_bytes(database.read_bytes()[: 4096 * 3])
    fallback = nlp._open_lemma_table("en")
    assert isinstance(fallback, dict) and fallback.get("shipped") == "ship"
    reopened = nlp._open_lemma_table("en")
    assert isinstance(reopened, lemma_store.SqliteLemmas) and reopened.get("shipped") == "ship"


def test_without_a_cache_the_table_is_read_into_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("REPLYLINT_NO_CACHE", "1")
    table = nlp._open_lemma_table("en")
    assert isinstance(table, dict) and table.get("went") == "go"
    assert not list(tmp_path.iterdir())


def test_a_database_that_cannot_be_written_leaves_the_table_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own errors (a full disk) are not OSErrors: they must not escape into a check."""
    import sqlite3

    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("REPLYLINT_NO_CACHE", raising=False)
    real_connect = sqlite3.connect

    def full_disk(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "mode=ro" in str(target):
            return real_connect(target, *args, **kwargs)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(lemma_store.sqlite3, "connect", full_disk)
    table = nlp._open_lemma_table("en")
    assert isinstance(table, dict) and table.get("went") == "go"
    assert not list(tmp_path.iterdir())  # no half-written file left behind
