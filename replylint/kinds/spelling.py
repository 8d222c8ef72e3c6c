"""The `spelling` rule kind: words that are not words of the reply's language (domain.md §4, quality).

Dictionaries: `replylint.text.spelling` (Hunspell's it_IT / en_US / en_GB via
spylls, pyspellchecker's word frequencies), offline. Precision first — a
reviewer flags "ricevutto" and "recieved", never a name, a product, a code or
the customer's own word — so a word is checked only when it is plain prose
written by the agent, and never when it is:

- shorter than `min_length` (three-letter words only when a missing accent
  or two swapped letters clearly explain them: "puo", "teh"), in ALL CAPS, camelCase, or capitalised inside a
  sentence (names, products, brands: "Parcelway", "iPhone"), or a lower-case
  word inside a run of capitalised ones (a product: "Rattan und Eichen");
- part of a URL, e-mail address, path, file name, hashtag, @handle, code or id
  (anything with digits, `/ @ # _ = < > { }` or a dot between letters), in
  `inline code` or a fenced or indented code block, or part of a hyphenated
  compound ("e-reader", "lun-ven") or of a word the tokenizer split ("gonna");
- glued to an apostrophe: contractions and elisions ("don't", "perche'"); a
  word after an elided article ("dell'ordne") is checked;
- an abbreviation: written without vowels ("cfr", "pls", "dlgs") or followed by
  a period inside a sentence ("lett. c)"), or a drawn-out word ("yaaasss");
- in the customer's message or in the text the reply quotes (quoted history
  and signatures are already blanked in `ctx.masked`), a brand term, or a name
  after a greeting ("ciao marco");
- in the rule's `allow` list (support jargon), or a word of one of the
  `accept_languages` ("refund", "tracking" in an Italian reply; "grazie" in an
  English one);
- without a dictionary word within one slip (`typo_cost` ≤ 1): a term the
  dictionaries lack ("contrattualizzazione") more often than a typo; or made of
  two dictionary words of four letters or more, or of a `prefixes` entry and a
  word ("metadata", "autolettura", "ereader"), when no half-cost slip explains
  it better;
- capitalised at the start of a sentence or line without one clear half-cost
  correction: a name ("Twilio", "Sha"); "Grazzie" → "Grazie" is flagged. A last
  line of at most three capitalised words is never flagged: that is the
  sign-off, with the agent's or the team's name.

A reply where three or more and over `max_unknown_share` of the checked words
are unknown is not prose in this language (code, a log, another language):
nothing is flagged. Each finding suggests up to `max_candidates` corrections,
likeliest slip first; the first is a `replacement` only when it is unambiguous
(`_unambiguous`): a slip of at most one edit (`typo_cost`: a swap, a doubled
letter or a wrong accent costs half) that is likelier than the next candidate
or `dominance` times as common.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import Field
from spacy.attrs import IDX
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from ..core.context import Context
from ..core.rulespec import Localized, RuleBase
from ..models import Language, Suggestion
from ..text.caches import WORD_CACHE_LIMIT
from ..text.prepare import merge_ranges
from ..text.scan import findall_words
from ..text.spelling import Correction, same_letters, speller
from .base import Hit, starts_clause

_APOSTROPHES = ("'", "’", "`", "´")
_WORD = re.compile(r"[^\W\d_]+")
_PIECE_EDGES = "()[]«»\"'“”‘’.,;:!?…"
# A whitespace-delimited piece that is not prose: URLs, e-mails, paths, handles, hashtags, ids, code.
_TECHNICAL = re.compile(r"[\d/\\@#_=<>{}|~^$%&*+\[\]]|\w\.\w|[a-zà-ù][A-Z]|^www|^https?:")
_CODE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]+`|(?m:^(?: {4,}|\t)\S.*$)", re.DOTALL)
_VOWELS = frozenset("aeiouyàáèéìíòóùú")
_DRAWN_OUT = re.compile(r"(.)\1\1")
_CLAUSE_OPENERS = frozenset({".", "!", "?", ":", ";", "…", "«", "“", '"', "(", "-", "–", "—", "*", "•", "·", ">"})
_HYPHENS = frozenset({"-", "‐", "‑", "–"})
_QUOTES = {"it": ("«", "»", " o "), "en": ("'", "'", " or ")}
LIKELY_SLIP = 0.5  # typo_cost of a swap, a doubled letter or an accent
ONE_SLIP = 1.0


class SpellingRule(RuleBase):
    kind: Literal["spelling"]
    did_you_mean: Localized = Field(description="Advice with candidates: {candidates} is filled in.")
    allow: list[str] = Field(default_factory=list, description="Words never flagged (any case): support jargon.")
    prefixes: list[str] = Field(
        default_factory=list, description="Word-forming prefixes: prefix + dictionary word is a word (auto-, multi-, e-)."
    )
    accept_languages: list[Language] = Field(
        default_factory=list, description="A word of these languages is not flagged (an English term in Italian)."
    )
    names_after: list[str] = Field(
        default_factory=list, description="Greeting words: the word after one is a name (ciao marco)."
    )
    min_length: int = Field(default=4, ge=1)
    max_unknown_share: float = Field(default=0.25, gt=0, le=1)
    dominance: float = Field(default=10.0, ge=1)
    max_candidates: int = Field(default=3, ge=1)


class SpellingKind:
    model = SpellingRule
    lexicon_needs: tuple[str, ...] = ()

    def __init__(self, rule: SpellingRule, vocab: Vocab, tokenize: Callable[[str], list[str]]) -> None:
        self.rule = rule
        self.allow = frozenset(w.lower() for w in rule.allow)
        self.prefixes = frozenset(p.lower() for p in rule.prefixes)
        self.names_after = frozenset(w.lower() for w in rule.names_after)
        # Words never flagged wherever they stand, as written: allowed, or a word of another language.
        self.fine: set[str] = set()

    def run(self, ctx: Context) -> Iterator[Hit]:
        rule = self.rule
        spell = speller(ctx.lang)
        frequencies = spell.frequencies
        shortest = min(3, rule.min_length)
        # One pass over the words of the text, not over spaCy's tokens: most replies have no
        # word that is neither in the frequency list nor already known, and then no token is looked at.
        words = [w for w in findall_words(_WORD, ctx.masked, str.isalpha) if len(w) >= shortest]
        known, fine = spell.known_words, self.fine
        odd = {
            w for w in words
            if w not in frequencies and w not in known and w not in fine and w.lower() not in frequencies
        }
        if not odd:
            return
        checked = len(words)
        unlisted = [(m.start(), m.group()) for m in _WORD.finditer(ctx.masked) if m.group() in odd]
        doc = ctx.doc
        starts = doc.to_array(IDX).tolist()
        signature_from = _short_last_line(ctx.masked)
        suspects: list[Token] = []
        for start, word in unlisted:
            at = bisect.bisect_right(starts, start) - 1
            if at < 0 or starts[at] != start or doc[at].text != word:
                continue  # part of a larger token: "e-mail", "foo_bar", a URL
            token = doc[at]
            if not word.islower():
                if not word.istitle() or not _starts_clause(doc, at, ctx.masked):
                    continue  # ALL CAPS, camelCase, or a capital inside a sentence: a name or a product
                if start >= signature_from:
                    continue  # the sign-off: "Niamh", "Staff Tecnico"
            suspects.append(token)
        if not suspects:
            return
        filters = _Filters(ctx, self)
        unknown = [t for t in suspects if filters.unknown(t)]
        if not unknown or (len(unknown) >= 3 and len(unknown) > rule.max_unknown_share * checked):
            return  # not prose in this language: code, a log, another language
        for token in unknown:
            text = token.text
            lower = text.lower()
            corrections = tuple(c for c in spell.corrections(lower) if c.cost <= ONE_SLIP)
            if not corrections:
                continue  # no word within one slip: a term the dictionaries lack, not a typo
            if corrections[0].cost > LIKELY_SLIP and filters.compound(lower):
                continue  # "autolettura", "ereader": two words, or a prefix and a word
            replacement = self._unambiguous(corrections)
            if not text.islower() and (replacement is None or corrections[0].cost > LIKELY_SLIP):
                continue  # a capitalised word without one clear slip is most likely a name
            if len(text) < rule.min_length and (replacement is None or not same_letters(lower, replacement)):
                continue  # a short word: only a missing accent or two swapped letters ("puo", "teh")
            yield Hit(
                token.idx, token.idx + len(text),
                suggestions=self._suggestions(ctx, text, corrections, replacement),
                values={"word": text},
            )

    def remember_fine(self, word: str) -> None:
        if len(self.fine) < WORD_CACHE_LIMIT:
            self.fine.add(word)

    def _unambiguous(self, corrections: tuple[Correction, ...]) -> str | None:
        """The first correction when it is the one clear fix: at most one edit's worth of slip,
        and either a likelier slip than the next one (and not dwarfed by it) or `dominance`
        times as common."""
        if not corrections or corrections[0].cost > ONE_SLIP:
            return None
        best, dominance = corrections[0], self.rule.dominance
        if len(corrections) == 1:
            return best.word
        runner_up = corrections[1]
        if runner_up.cost > best.cost and best.frequency * dominance >= runner_up.frequency:
            return best.word
        if best.frequency >= dominance * runner_up.frequency:
            return best.word
        return None

    def _suggestions(
        self, ctx: Context, text: str, corrections: tuple[Correction, ...], replacement: str | None
    ) -> tuple[Suggestion, ...]:
        lang = ctx.message_lang
        words = [_same_case(c.word, text) for c in corrections[: self.rule.max_candidates]]
        opening, closing, conjunction = _QUOTES.get(lang, _QUOTES["en"])
        quoted = [f"{opening}{w}{closing}" for w in words]
        listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + conjunction + quoted[-1]
        advice = self.rule.did_you_mean.get(lang).format(candidates=listed)
        if replacement is not None:
            return (Suggestion(advice=advice, replacement=_same_case(replacement, text)),)
        return (Suggestion(advice=advice),)


class _Filters:
    """Everything that makes an unknown word not a misspelling, computed only for replies that have one."""

    def __init__(self, ctx: Context, kind: SpellingKind) -> None:
        self.ctx = ctx
        self.kind = kind
        self._code: tuple[list[int], list[int]] | None = None
        self._theirs: frozenset[str] | None = None

    def unknown(self, token: Token) -> bool:
        """Not a word of the reply's language, nor anything else a reviewer would leave alone."""
        text = token.text
        lower = text.lower()
        kind, ctx = self.kind, self.ctx
        if lower in kind.allow:
            kind.remember_fine(text)
            return False
        if (
            not _VOWELS.intersection(lower)
            or _DRAWN_OUT.search(lower)
            or _glued(token)
            or _abbreviated(token)
            or _inside_name(token, ctx.masked)
            or self._in_technical(token)
        ):
            return False
        if lower in self.theirs:
            return False
        if speller(ctx.lang).known(text):
            return False
        if any(speller(other).in_hunspell(text) for other in kind.rule.accept_languages if other != ctx.lang):
            kind.remember_fine(text)
            return False
        previous = _previous_word(ctx.doc, token.i)
        return previous is None or previous.lower_ not in kind.names_after

    def compound(self, lower: str) -> bool:
        """Two dictionary words of four letters or more ("sleepcovers", "metadata"), or a prefix and
        a dictionary word ("autolettura", "ereader"). Shorter parts would explain typos away:
        "boardig" is "boar" + "dig", "telphone" "tel" + "phone"."""
        langs = [self.ctx.lang, *(o for o in self.kind.rule.accept_languages if o != self.ctx.lang)]

        def word(part: str) -> bool:
            return speller(langs[0]).known(part) or any(speller(lang).in_hunspell(part) for lang in langs[1:])

        prefixes = self.kind.prefixes
        for cut in range(1, len(lower) - 3):
            head, tail = lower[:cut], lower[cut:]
            if (head in prefixes or (len(head) >= 4 and word(head))) and word(tail):
                return True
        return False

    def _in_technical(self, token: Token) -> bool:
        text = self.ctx.masked
        left = right = token.idx
        while left > 0 and not text[left - 1].isspace():
            left -= 1
        while right < len(text) and not text[right].isspace():
            right += 1
        if _TECHNICAL.search(text[left:right].strip(_PIECE_EDGES)):
            return True
        if self._code is None:
            written = self.ctx.text  # same offsets as `masked`; code is found in the text as written
            maybe = "`" in written or "\n    " in written or "\n\t" in written or written.startswith(("    ", "\t"))
            spans = merge_ranges([(m.start(), m.end()) for m in _CODE.finditer(written)]) if maybe else []
            self._code = ([a for a, _ in spans], [b for _, b in spans])
        starts, ends = self._code
        at = bisect.bisect_right(starts, token.idx) - 1
        return at >= 0 and token.idx < ends[at]

    @property
    def theirs(self) -> frozenset[str]:
        """Lower-case words of the customer's message, of the text the reply quotes and of the brand's terms."""
        if self._theirs is None:
            ctx = self.ctx
            words: set[str] = set()
            if ctx.customer_text:
                words.update(w.lower() for w in _WORD.findall(ctx.customer_text))
            if ctx.masked != ctx.text:
                text, masked = ctx.text, ctx.masked
                words.update(
                    m.group().lower() for m in _WORD.finditer(text) if masked[m.start()] != text[m.start()]
                )
            brand = ctx.brand
            if brand is not None:
                for phrase in [*brand.terms, brand.signoff or "", brand.greeting or ""]:
                    words.update(w.lower() for w in _WORD.findall(phrase))
            self._theirs = frozenset(words)
        return self._theirs


def _short_last_line(text: str) -> int:
    """Where the last non-empty line starts when it is a name: at most three words, each
    capitalised ("Niamh", "Staff Tecnico"; not "Cordilai saluti"); past the end of the text otherwise."""
    body = text.rstrip()
    start = body.rfind("\n") + 1
    words = _WORD.findall(body[start:])
    return start if len(words) <= 3 and all(w[:1].isupper() for w in words) else len(text) + 1


def _glued(token: Token) -> bool:
    """Part of something larger than the word: a contraction or an accent typed as an apostrophe
    ("do|n't", "perche|'", "'|cause"), a hyphenated compound ("e-|reader", "lun-|ven"), a word the
    tokenizer split ("gon|na"). A word after an elided article ("dell'|ordine") is a word of its own."""
    doc, i = token.doc, token.i
    if token.whitespace_ == "" and i + 1 < len(doc):
        following = doc[i + 1]
        if following.text.startswith(_APOSTROPHES) or following.text in _HYPHENS or following.is_alpha:
            return True
    if i > 0:
        before = doc[i - 1]
        if before.whitespace_ == "" and (before.text in _APOSTROPHES or before.text in _HYPHENS or before.is_alpha):
            return True
    return False


def _abbreviated(token: Token) -> bool:
    """Followed by a period that does not end the sentence: "lett. c)", "pagg. 8", "fac. simile"."""
    doc, i = token.doc, token.i
    if token.whitespace_ or i + 2 >= len(doc) or doc[i + 1].text != ".":
        return False
    following = doc[i + 2]
    if "\n" in doc[i + 1].whitespace_ or following.is_space:
        return False
    first = following.text[:1]
    return first.islower() or first.isdigit() or first in "(),;:"


def _inside_name(token: Token, text: str) -> bool:
    """A lower-case word between two capitalised words inside a sentence: part of a name or a product."""
    doc, i = token.doc, token.i
    if i == 0 or i + 1 >= len(doc):
        return False
    before, after = doc[i - 1], doc[i + 1]
    return (
        before.is_alpha and after.is_alpha
        and before.text[:1].isupper() and after.text[:1].isupper()
        and not _starts_clause(doc, i - 1, text)
    )


def _previous_word(doc: Doc, i: int) -> Token | None:
    j = i - 1
    while j >= 0 and (doc[j].is_space or doc[j].is_punct):
        if "\n" in doc[j].text:
            return None
        j -= 1
    return doc[j] if j >= 0 else None


def _starts_clause(doc: Doc, i: int, text: str) -> bool:
    """Token i opens a sentence, a line or a clause after a colon, a dash, a bullet or a quote."""
    return starts_clause(doc, i, text, _CLAUSE_OPENERS)


def _same_case(word: str, like: str) -> str:
    if like[:1].isupper() and not word[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
