"""Gulpease counted by replylint itself gives textstat's score exactly; English Flesch is the
formula on replylint's own counts. textstat is only the reference here, not a run-time need."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint.analysis import readability
from replylint.learned.corpus import load_replies
from replylint.text.prepare import prepare

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def textstat():  # type: ignore[no-untyped-def]
    module = pytest.importorskip("textstat")
    module.set_lang("it")  # Gulpease needs no syllables: no NLTK data is asked for
    return module


def _body(text: str) -> str | None:
    """What `measure` counts: the sentences, joined."""
    split = readability._sentences(text)
    return " ".join(s for s, _ in split) if split else None


def _corpus_texts() -> list[str]:
    texts = [r.reply for r in load_replies()]
    for name in ("it.jsonl", "en.jsonl", "holdout/it.jsonl", "holdout/en.jsonl"):
        path = ROOT / "tests" / "corpus" / name
        texts += [json.loads(line)["reply"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from replies import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return texts + generate("it", 500) + generate("en", 500)


def test_gulpease_is_textstats_on_every_corpus_reply(textstat) -> None:
    """Real replies, the test corpora and 500 benchmark replies per language, through the Italian formula."""
    bodies = [b for b in (_body(prepare(t).own_text) for t in _corpus_texts()) if b]
    assert len(bodies) > 4000
    different = [(b[:80], readability._gulpease(b), textstat.gulpease_index(b))
                 for b in bodies if readability._gulpease(b) != textstat.gulpease_index(b)]
    assert not different


@pytest.mark.parametrize("body", [
    "Ciao Marco.", "Grazie!", "Il servizio è attivo dalle 08.30 alle 17.30, il sabato dalle 08.30 alle 13.00.",
    "Vedi e.g. la pagina... Oppure?! Scrivici: supporto@example.com, ok?", "dell'ordine l'utente c'è un po' d'attesa",
    "--- ... !!! ???", "snake_case nome_file.txt è stato caricato.", "Cordiali saluti. Il team. A presto.",
    "a\u00a0b\u2009c. d e f g", "café\u0301 naïve ١٢٣ abc. def ghi jkl.",
])
def test_gulpease_on_awkward_text(textstat, body: str) -> None:
    assert readability._gulpease(body) == textstat.gulpease_index(body)


_PIECES = list("ab cé.!?…'’_-1 2\n\t,;:()\u00a0xè") + ["e.g.", "08.30", "...", "!?", "dell'", "'s", "\u0301", "١"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=60).map("".join))
def test_gulpease_on_any_text(body: str) -> None:
    textstat = pytest.importorskip("textstat")
    textstat.set_lang("it")
    if any(c.isalpha() for c in body):
        assert readability._gulpease(body) == textstat.gulpease_index(body)


def test_the_italian_measure_keeps_its_shape_and_score(textstat) -> None:
    text = ("Buongiorno Anna,\nabbiamo verificato il suo ordine: il pacco è partito ieri e arriverà entro venerdì. "
            "Grazie per la pazienza.\nCordiali saluti")
    measured = readability.measure(text, "it")
    assert measured is not None and measured.metric == "gulpease"
    assert measured.score == round(float(textstat.gulpease_index(_body(text))), 1)
    assert (measured.words, measured.sentences, measured.longest_sentence_words) == (22, 4, 14)
    assert measured.words_per_sentence == 5.5


def test_english_flesch_is_the_formula_on_the_reported_counts() -> None:
    text = "Hi Sam,\nwe checked your order. The refund went out today, so you will see it within five days.\nThanks!"
    measured = readability.measure(text, "en")
    assert measured is not None and measured.metric == "flesch"
    words = [w for _, sentence_words in readability._sentences(text) for w in sentence_words]
    syllables = sum(readability._syllables(w.lower()) for w in words)
    expected = 206.835 - 1.015 * measured.words / measured.sentences - 84.6 * syllables / measured.words
    assert (measured.words, measured.sentences) == (len(words), 4)
    assert measured.score == round(expected, 1)


def test_measuring_imports_no_textstat() -> None:
    import subprocess

    script = (
        "import sys\n"
        "from replylint.analysis import readability\n"
        "readability.warm_up()\n"
        "assert readability.measure('Il pacco è partito ieri. Arriva domani in giornata.', 'it').score > 0\n"
        "assert readability.measure('The parcel left yesterday. It arrives tomorrow.', 'en').score > 0\n"
        "assert not {'textstat', 'nltk', 'scipy'} & set(sys.modules), sorted(sys.modules)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
