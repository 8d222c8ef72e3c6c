"""spaCy pipelines, built once per language per process and never downloaded.

The default is a blank pipeline (tokenizer + sentence splitter + a lookup
lemmatizer fed by `spacy-lookups-data`), which is what `pip install` gives on
a locked-down helpdesk server. When a full pipeline package such as
`it_core_news_sm` is installed it is used instead, because its lemmas follow
the part of speech. `REPLYLINT_NLP=blank` forces the blank pipeline so that
results do not depend on what else happens to be installed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

FULL_MODELS = {"it": "it_core_news_sm", "en": "en_core_web_sm"}

_cache: dict[str, Language] = {}
_lock = threading.Lock()


@Language.factory("replylint_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> _LookupLemmatizer:
    return _LookupLemmatizer(nlp.lang)


class _LookupLemmatizer:
    """Lemmas from the lookup table, keyed on the lower-case form.

    spaCy's own lookup mode keys on the exact text, so "Posso" at the start of
    a sentence would keep "Posso" as its lemma and miss every rule written
    for `@potere`. Contractions ("ca" + "n't") fall back to their norm
    ("can", "not"), which the tokenizer's exceptions already provide.
    """

    def __init__(self, lang: str) -> None:
        self._lang = lang
        self._table: object | None = None
        self._loaded = False
        self._load_lock = threading.Lock()

    def _lookup_table(self):  # type: ignore[no-untyped-def]
        """Load the (large) table on first use, so building a pipeline stays cheap."""
        if not self._loaded:
            with self._load_lock:
                if not self._loaded:
                    from spacy.lookups import load_lookups

                    try:
                        self._table = load_lookups(self._lang, ["lemma_lookup"]).get_table("lemma_lookup")
                    except (ValueError, KeyError):  # no table for this language: lemma = norm
                        self._table = None
                    self._loaded = True
        return self._table

    def __call__(self, doc: Doc) -> Doc:
        table = self._lookup_table()
        for token in doc:
            lower = token.lower_
            lemma = None
            if table is not None:
                lemma = table.get(lower)
                if lemma is None and token.norm_ != lower:
                    lemma = table.get(token.norm_)
            token.lemma_ = (lemma or token.norm_).lower()
        return doc


@Language.component("replylint_line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: replies put greetings and list items on their own lines."""
    for i in range(1, len(doc)):
        previous = doc[i - 1]
        if "\n" in previous.text_with_ws[len(previous.text) :] or (
            previous.is_space and "\n" in previous.text
        ):
            doc[i].is_sent_start = True
    return doc


def _build(lang: str) -> Language:
    model = FULL_MODELS.get(lang)
    if os.environ.get("REPLYLINT_NLP", "auto") != "blank" and model and spacy.util.is_package(model):
        nlp = spacy.load(model, exclude=["ner"])
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        nlp.add_pipe("replylint_line_breaks", before=nlp.pipe_names[0])
        return nlp
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("replylint_line_breaks")
    nlp.add_pipe("replylint_lemmatizer")
    return nlp


def pipeline(lang: str) -> Language:
    """The process-wide pipeline for `lang`, built on first use."""
    nlp = _cache.get(lang)
    if nlp is None:
        with _lock:
            nlp = _cache.get(lang)
            if nlp is None:
                nlp = _cache[lang] = _build(lang)
    return nlp


def tokenize_words(lang: str) -> Callable[[str], list[str]]:
    """A function splitting a pattern word exactly as replies will be split."""
    tokenizer = spacy.blank(lang).tokenizer

    def split(text: str) -> list[str]:
        return [t.text for t in tokenizer(text)]

    return split
