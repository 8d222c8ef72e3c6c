"""What one language needs loaded: its spaCy pipeline, its rules compiled into kinds, its lexicon.

Compiled once per process. A pack error found while compiling names the
file and the rule, so a team's typo stops the linter at start-up instead
of silently disabling a rule.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from spacy import about as spacy_about
from spacy.errors import MatchPatternError
from spacy.language import Language as SpacyLanguage

from ..core.lexicon import Lexicon, LexiconFile
from ..core.matching import Vocabulary
from ..core import backtracking, pattern_memo
from ..core import patterns as patterns_module
from ..core.pattern_memo import MemoTokenizer, PatternMemo
from ..core.patterns import PatternSyntaxError
from ..core.rulespec import RuleBase
from ..errors import PackError
from ..kinds import KINDS
from ..kinds.base import Kind
from ..text import nlp as nlp_module

# spaCy keeps every word form it has seen (a Lexeme and its strings) for the life of the
# pipeline. A helpdesk hook sees new names, codes and order numbers all day, about 0.5 KB
# each (33 MiB per 20,000 replies with three new forms each). Past this many new strings
# (~10 MiB) a check runs in a spaCy memory zone, which forgets what the check added. Not from
# the start: words seen before the cap stay cached (the common ones, by then), while in a
# zone spaCy recreates every word it had not kept.
VOCAB_GROWTH_LIMIT = 20_000

# A zone does not give everything back: spaCy's word and string indexes (preshed hash maps)
# mark a forgotten entry as deleted instead of emptying its slot, and double their table when
# slots run out, live or deleted. So they grow by ~45 bytes per new word form ever seen, in
# steps (+24 MiB at once near 80,000 checks of `benchmarks/soak.py`). After this many words
# created since it was built (`len(vocab)` counts every one, forgotten or not), a language's
# pipeline and compiled rules are rebuilt beside the old ones and swapped in
# (`Engine._renew`): ~1 s of one core, with checks going on meanwhile.
RENEW_AFTER_WORDS = 120_000


@dataclass
class LanguageRuntime:
    """One language, compiled: the pipeline (called under `lock`), each code's kind, the lexicon."""

    nlp: SpacyLanguage
    kinds: dict[str, Kind]
    lexicon: Lexicon
    vocabulary: Vocabulary
    lock: threading.Lock = field(default_factory=threading.Lock)
    loaded_strings: int = 0  # StringStore size once packs were compiled
    loaded_words: int = 0  # len(vocab) then

    def memory_zone(self) -> contextlib.AbstractContextManager[object]:
        """A spaCy memory zone once the vocabulary has grown past the limit, else nothing."""
        if len(self.nlp.vocab.strings) - self.loaded_strings > VOCAB_GROWTH_LIMIT:
            return self.nlp.memory_zone()
        return contextlib.nullcontext()

    @property
    def worn(self) -> bool:
        """True once the pipeline has created more words than RENEW_AFTER_WORDS: time to rebuild it."""
        return len(self.nlp.vocab) - self.loaded_words > RENEW_AFTER_WORDS


def compile_language(
    lang: str, rules: list[RuleBase], lexicon_files: list[tuple[Path, LexiconFile]], origin: dict[tuple[str, str], Path],
    *, fresh: bool = False,
) -> LanguageRuntime:
    """Build each rule's kind and the language's lexicon; every pack error names its file and rule.
    `fresh`: on a new pipeline (a renewal) instead of the process-wide one."""
    nlp = nlp_module.renew_pipeline(lang) if fresh else nlp_module.pipeline(lang)
    split = MemoTokenizer(pattern_tokenizer(nlp), _open_memo(lang))
    lexicon = Lexicon(lexicon_files, nlp.vocab, split)
    kinds: dict[str, Kind] = {}
    for rule in rules:
        where = f"{origin[(rule.code, rule.lang)]}: rule {rule.code}"
        try:
            kind = KINDS[rule.kind](rule, nlp.vocab, split)  # type: ignore[attr-defined]
            lexicon.require(list(kind.lexicon_needs), where)
        except PatternSyntaxError as exc:
            raise PackError(f"{where}: {exc}") from None
        except PackError as exc:
            message = str(exc)
            raise PackError(message if message.startswith(where) else f"{where}: {message}") from None
        except (MatchPatternError, ValueError) as exc:
            first_line = str(exc).strip().splitlines()[0]
            raise PackError(f"{where}: pattern does not compile: {first_line}") from None
        kinds[rule.code] = kind
    groups = [g for kind in kinds.values() for g in getattr(kind, "groups", {}).values()]
    vocabulary = Vocabulary([*groups, *lexicon.groups.values()])
    split.memo.save()
    return LanguageRuntime(nlp, kinds, lexicon, vocabulary, loaded_strings=len(nlp.vocab.strings),
                           loaded_words=len(nlp.vocab))


# The modules whose code decides a pattern's compiled form: the notation, the regex check, the
# memo itself, the pattern-word tokenizer below and the pipelines' tokenizer settings.
_COMPILER_MODULES = (patterns_module, backtracking, pattern_memo, nlp_module)


def _open_memo(lang: str) -> PatternMemo:
    """The language's memo of compiled patterns, under a fingerprint of spaCy's version and the
    compiler's source; no memo (compile everything) when a source file cannot be read."""
    try:
        sources = [Path(module.__file__).read_bytes() for module in (*_COMPILER_MODULES, sys.modules[__name__])]  # type: ignore[arg-type]
    except (OSError, TypeError):
        return PatternMemo(None, {})
    return PatternMemo.open(lang, pattern_memo.fingerprint(lang, [spacy_about.__version__, *sources]))


def pattern_tokenizer(nlp: SpacyLanguage) -> Callable[[str], tuple[str, ...]]:
    """Split a pattern word exactly as a reply would be split.

    A clitic written alone ("'ve", "'ll", "'m") tokenizes differently than
    inside a word ("we've" → "we" + "'ve"), so it is tokenized after a host
    word and the host dropped.
    """
    tokenizer = nlp.tokenizer

    @functools.lru_cache(maxsize=None)  # pattern words repeat across ~1,900 patterns: tokenize each once
    def split(word: str) -> tuple[str, ...]:
        if word[:1] in ("'", "’") and len(word) > 1:  # "'ve" as in "we've"
            for host in ("we", "I", "you", "it"):
                pieces = [t.text for t in tokenizer(host + word)]
                if len(pieces) >= 2 and pieces[0] == host and "".join(pieces[1:]) == word:
                    return tuple(pieces[1:])
        if word[-1:] in ("'", "’") and len(word) > 1:  # "l'" as in "l'ordine"
            for guest in ("ordine", "altro", "ora"):
                pieces = [t.text for t in tokenizer(word + guest)]
                if len(pieces) >= 2 and pieces[-1] == guest and "".join(pieces[:-1]) == word:
                    return tuple(pieces[:-1])
        return tuple(t.text for t in tokenizer(word))

    return split
