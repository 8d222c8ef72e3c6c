"""spaCy pipelines, built once per language per process and never downloaded.

The default is a blank pipeline (tokenizer + sentence splitter + a lookup
lemmatizer fed by the two tables in `replylint/data/lemmas/`, copied from
`spacy-lookups-data`), which is what `pip install` gives on a locked-down
helpdesk server. When a full pipeline package such as
`it_core_news_sm` is installed it is used instead, because its lemmas follow
the part of speech. `REPLYLINT_NLP=blank` forces the blank pipeline so that
results do not depend on what else happens to be installed.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Any

import numpy
import spacy
import srsly
from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, LOWER, NORM, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .caches import WORD_CACHE_LIMIT, built_once
from .lemma_store import LemmaTable, open_lemma_table

FULL_MODELS = {"it": "it_core_news_sm", "en": "en_core_web_sm"}

# The form → lemma tables replylint reads: `it_lemma_lookup` and `en_lemma_lookup` copied as they are
# from spacy-lookups-data 1.0.5 (see the README in that folder), so that the 99 MB package with
# tables for some 40 languages is not a dependency. Nothing else of it was read: spaCy 3's blank
# pipelines load no lookups (no `lexeme_norm`, so NORM is spaCy's built-in norm either way) unless
# a config names them under `[initialize] lookups`, and replylint's pipelines are never initialized.
LEMMA_DIR = Path(__file__).resolve().parents[1] / "data" / "lemmas"


def lemma_table_path(lang: str) -> Path | None:
    """The shipped form → lemma table for `lang`, or None when there is none (lemma = norm)."""
    path = LEMMA_DIR / f"{lang}_lemma_lookup.json.gz"
    return path if path.is_file() else None


def _read_lemma_table(lang: str) -> dict[str, str] | None:
    path = lemma_table_path(lang)
    return None if path is None else _read_json_table(path)


def _read_json_table(path: Path) -> dict[str, str]:
    # srsly (spaCy's own JSON reader, ujson inside) is what spaCy's `load_language_data` used: the
    # same dict, in the same order, as the stdlib's json gives, about 40 ms sooner for Italian.
    return dict(srsly.read_gzip_json(path))


def _open_lemma_table(lang: str) -> LemmaTable | None:
    """The table the lemmatizer looks words up in: an SQLite file in the cache folder, or the dict."""
    path = lemma_table_path(lang)
    return None if path is None else open_lemma_table(lang, path, _read_json_table)


_cache: dict[str, Language] = {}
_LEMMA_TABLES: dict[str, LemmaTable | None] = {}  # opened once per process, shared by renewed pipelines
_lock = threading.Lock()


_NOT_START = numpy.uint64(2**64 - 1)  # -1 in spaCy's SENT_START column, as the array's unsigned type
_TERMINALS = {".", "!", "?", "…", "...", "!!", "??", "?!", "!?"}
_ABBREVIATIONS = {
    "sig", "sigg", "sig.ra", "dott", "dott.ssa", "ing", "avv", "prof", "gent", "spett", "ecc", "es",
    "n", "nr", "tel", "pag", "art", "mr", "mrs", "ms", "dr", "st", "etc", "e.g", "i.e", "no", "vs",
    "approx", "dept", "inc", "ltd", "co", "jr", "sr",
}


@Language.factory("replylint_sentences")
def _make_sentences(nlp: Language, name: str) -> _Sentences:
    return _Sentences(nlp)


class _Sentences:
    """Sentence starts after . ! ? … and after every line break.

    Replies put greetings, list items and sign-offs on lines of their own,
    and a line break there ends a sentence even without a full stop. Works
    on attribute arrays rather than Token objects: this runs on every reply
    and the Python-level token loop of spaCy's sentencizer dominated the
    per-reply cost.
    """

    def __init__(self, nlp: Language) -> None:
        strings = nlp.vocab.strings
        self._terminals = frozenset(strings.add(t) for t in _TERMINALS)
        self._abbreviations = frozenset(strings.add(a) for a in _ABBREVIATIONS)
        self._period = strings.add(".")
        self._strings = strings

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        terminals, abbreviations, period, strings = self._terminals, self._abbreviations, self._period, self._strings
        starts = [0]
        after_stop = False  # a sentence ended with . ! ? …: the next word starts one
        after_break = False  # a line ended: the next token (even a bullet) starts one
        previous = 0
        columns = doc.to_array([LOWER, IS_SPACE, IS_PUNCT])
        lowers = columns[:, 0].tolist()
        for i, lower, is_space, is_punct in zip(range(n), lowers, columns[:, 1].tolist(), columns[:, 2].tolist()):
            if is_space:
                if "\n" in strings[lower]:
                    after_break = True
            else:
                if after_break or (after_stop and not is_punct):  # never at token 0: both start False
                    starts.append(i)
                    after_stop = after_break = False
                if lower in terminals and not (lower == period and previous in abbreviations):
                    after_stop = True
            previous = lower
        flags = numpy.full((n, 1), _NOT_START, dtype="uint64")
        flags[starts, 0] = 1
        doc.from_array([SENT_START], flags)
        return doc


@Language.factory("replylint_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> _LookupLemmatizer:
    return _LookupLemmatizer(nlp)


class _LookupLemmatizer:
    """Lemmas from the lookup table, keyed on the lower-case form.

    spaCy's own lookup mode keys on the exact text, so "Posso" at the start of
    a sentence would keep "Posso" as its lemma and miss every rule written
    for `@potere`. Contractions ("ca" + "n't") fall back to their norm
    ("can", "not"), which the tokenizer's exceptions already provide.
    Lemmas are written through attribute arrays: the per-token Python loop
    over Token objects was the hot spot.

    The table (330,000 Italian forms) is opened on first use and asked for
    each new form; every lemma it gives enters the StringStore for good
    (`allow_transient=False`, even inside the memory zones checks run in, see
    `Engine.check`), because the per-word cache of lemma hashes outlives every
    zone. A lemma that is not in the table is the token's own norm or form.
    """

    def __init__(self, nlp: Language) -> None:
        self._lang = nlp.lang
        self._strings = nlp.vocab.strings
        self._table: LemmaTable | None = None
        self._loaded = False
        self._load_lock = threading.Lock()
        self._cache: dict[int | tuple[int, int], int] = {}

    def _lookup_table(self) -> LemmaTable | None:
        if not self._loaded:
            with self._load_lock:
                if not self._loaded:
                    # The form → lemma table shipped in replylint/data/lemmas: the same data
                    # spaCy's `load_lookups` would read from spacy-lookups-data, without building
                    # its hash-keyed Table, and looked up on disk (`lemma_store`) rather than read
                    # whole. No table for this language: lemma = norm.
                    if self._lang not in _LEMMA_TABLES:
                        _LEMMA_TABLES[self._lang] = _open_lemma_table(self._lang)
                    self._table = _LEMMA_TABLES[self._lang]
                    self._loaded = True
        return self._table

    def _lemma_hash(self, lower: int, norm: int) -> int:
        table = self._lookup_table()
        strings = self._strings
        lower_text, norm_text = strings[lower], strings[norm]
        lemma = None
        if table is not None:
            lemma = table.get(lower_text)
            if lemma is None and norm_text != lower_text:
                lemma = table.get(norm_text)
        return strings.add((lemma or norm_text).lower(), allow_transient=False)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        cache = self._cache
        columns = doc.to_array([LOWER, NORM])
        lowers, norms = columns[:, 0].tolist(), columns[:, 1].tolist()
        # Keyed on the form alone when the norm is the form (nearly always); on both otherwise
        # (contractions: "ca" → "can").
        lemmas = [cache.get(lower if lower == norm else (lower, norm)) for lower, norm in zip(lowers, norms)]
        if None in lemmas:
            lemmas = [lemma if lemma is not None else self._remember(lower, norm)
                      for lemma, lower, norm in zip(lemmas, lowers, norms)]
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
        return doc

    def _remember(self, lower: int, norm: int) -> int:
        lemma = self._lemma_hash(lower, norm)
        if len(self._cache) < WORD_CACHE_LIMIT:  # bounded: replies bring new words forever
            self._cache[lower if lower == norm else (lower, norm)] = lemma
        return lemma


# A run of this many punctuation or symbol characters (no letters, digits or blanks) is cut
# into tokens of _RUN_CHUNK characters without asking spaCy's tokenizer: its affix loop strips
# one character at a time and searches the rest again, so "grazie" followed by 8,000 "!" took
# 7 s and 10,000 took 21 s. No real reply has such a run but for rules ("-----", "=====",
# "!!!!!!!!"), and those are shorter than this or keep their words either way.
_LONG_RUN = re.compile(r"(?:[^\w\s]|_){32,}")
_RUN_CHUNK = 8


class _RunSafeTokenizer:
    """spaCy's tokenizer, in linear time whatever the text: long runs of punctuation are cut into
    fixed tokens, the rest is tokenised as usual, and the pieces are joined into one Doc whose
    text is exactly the input (every character offset stays where it was)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __call__(self, text: str) -> Doc:
        runs = list(_LONG_RUN.finditer(text))
        if not runs:
            return self._inner(text)
        vocab = self._inner.vocab
        docs: list[Doc] = []
        start = 0
        for run in runs:
            if run.start() > start:
                docs.append(self._inner(text[start:run.start()]))
            end = run.end()
            words = [text[i:min(i + _RUN_CHUNK, end)] for i in range(run.start(), end, _RUN_CHUNK)]
            spaces = [False] * len(words)
            if text.startswith(" ", end):  # one blank after the run is its last token's whitespace
                spaces[-1] = True
                end += 1
            docs.append(Doc(vocab, words=words, spaces=spaces))
            start = end
        if start < len(text):
            docs.append(self._inner(text[start:]))
        return Doc.from_docs(docs, ensure_whitespace=False)

    def __getattr__(self, name: str) -> Any:  # memory_zone, vocab, pipe, to_disk… as spaCy's own
        return getattr(self._inner, name)


# spaCy refuses texts over a million characters (E088) to protect its parser and NER from their
# memory needs; neither runs here, and tokenising is linear, so the limit is config max_chars.
_MAX_LENGTH = 2**62


def _build(lang: str) -> Language:
    nlp = _build_pipeline(lang)
    nlp.tokenizer = _RunSafeTokenizer(nlp.tokenizer)
    nlp.max_length = _MAX_LENGTH
    return nlp


def _build_pipeline(lang: str) -> Language:
    model = FULL_MODELS.get(lang)
    if os.environ.get("REPLYLINT_NLP", "auto") != "blank" and model and spacy.util.is_package(model):
        # The tagger feeds the model's own lemmatizer; the parser and NER are
        # not needed (sentences come from replylint_sentences) and are slow.
        nlp = spacy.load(model, exclude=["parser", "ner", "senter"])
        nlp.add_pipe("replylint_sentences", first=True)
        return nlp
    nlp = spacy.blank(lang)
    nlp.add_pipe("replylint_sentences")
    lemmatizer = nlp.add_pipe("replylint_lemmatizer")
    lemmatizer._lookup_table()  # now, outside any memory zone (see the class docstring)
    return nlp


def renew_pipeline(lang: str) -> Language:
    """A new pipeline for `lang`, which becomes the process-wide one (see `engine.runtime.RENEW_AFTER_WORDS`)."""
    nlp = _build(lang)
    with _lock:
        _cache[lang] = nlp
    return nlp


def pipeline(lang: str) -> Language:
    """The process-wide pipeline for `lang`, built on first use."""
    return built_once(_cache, _lock, lang, lambda: _build(lang))
