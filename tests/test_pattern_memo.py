"""The compiled-pattern memo: a warm one compiles the catalogue exactly as a cold one, skips the
tokenizer, survives a damaged or unwritable cache, never hides a pack error, and can be turned off."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from replylint import PackError
from replylint.core import patterns
from replylint.engine import Engine
from replylint.engine import runtime


def _compiled(lang: str) -> dict[str, Any]:
    """Every pattern group of the language's catalogue, as compiled, by rule and role."""
    engine = Engine()
    compiled_runtime = engine._runtimes[lang]
    groups = {f"{code}:{role}": group.patterns
              for code, kind in compiled_runtime.kinds.items() for role, group in getattr(kind, "groups", {}).items()}
    groups.update({f"lexicon:{name}": group.patterns for name, group in compiled_runtime.lexicon.groups.items()})
    return groups


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    original = patterns.compile_pattern

    def counting(pattern: Any, tokenize: Any) -> Any:
        calls[0] += isinstance(pattern, str)  # raw spaCy lists are not memoised: nothing to tokenise
        return original(pattern, tokenize)

    monkeypatch.setattr(patterns, "compile_pattern", counting)
    return calls


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("REPLYLINT_NO_CACHE", raising=False)
    return folder


@pytest.mark.parametrize("lang", ["it", "en"])
def test_a_warm_memo_compiles_the_catalogue_as_a_cold_one_without_compiling_again(
    lang: str, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _compiled(lang)
    files = list(cache.glob(f"patterns-{lang}-*.json"))
    assert len(files) == 1 and len(json.loads(files[0].read_text(encoding="utf-8"))) > 500
    calls = _count_compiles(monkeypatch)
    assert _compiled(lang) == cold
    assert calls[0] == 0


def test_a_damaged_memo_is_ignored_and_written_anew(cache: Path) -> None:
    cold = _compiled("it")
    (memo,) = cache.glob("patterns-it-*.json")
    memo.write_text('{"non @potere": "[[{\\"LOWER\\": ', encoding="utf-8")
    assert _compiled("it") == cold
    assert len(json.loads(memo.read_text(encoding="utf-8"))) > 500


def test_a_memo_entry_that_is_not_json_is_compiled_again(cache: Path) -> None:
    cold = _compiled("it")
    (memo,) = cache.glob("patterns-it-*.json")
    memo.write_text(json.dumps({pattern: "not json" for pattern in json.loads(memo.read_text(encoding="utf-8"))}),
                    encoding="utf-8")
    assert _compiled("it") == cold


def test_a_pack_error_is_raised_with_a_warm_memo(cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "team.yaml").write_text(textwrap.dedent("""
        - code: ACM101
          name: broken-group
          category: brand
          severity: warning
          kind: phrase
          lang: it
          summary: {it: "x", en: "x"}
          message: {it: "x", en: "x"}
          rationale: {it: "x", en: "x"}
          suggest:
            advice: {it: "x", en: "x"}
          patterns: ["(non @potere"]
          examples:
            bad: ["non posso"]
            good: ["posso"]
        """), encoding="utf-8")
    _compiled("it")  # every shipped pattern is in the memo now
    assert list(cache.glob("patterns-it-*.json"))
    with pytest.raises(PackError, match=r"team\.yaml: rule ACM101: .*never closed"):
        Engine([folder]).compile_all()


def test_no_cache_writes_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYLINT_NO_CACHE", "1")
    _compiled("it")
    assert not cache.exists()


def test_an_unwritable_cache_folder_compiles_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("REPLYLINT_NO_CACHE", raising=False)
    assert _compiled("it")["NEG101:patterns"]


def test_another_spacy_or_compiler_reads_another_file(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _compiled("it")
    before = {p.name for p in cache.glob("patterns-it-*.json")}
    monkeypatch.setattr(runtime.spacy_about, "__version__", "0.0.0-other")
    calls = _count_compiles(monkeypatch)
    _compiled("it")
    after = {p.name for p in cache.glob("patterns-it-*.json")}
    assert calls[0] > 500
    assert len(after) == 1 and after != before  # the old fingerprint's file goes
