"""Idioms that look negative but are not, and text that is not the agent's: the
negative-phrasing rules must stay silent on all of it (issue #2, precision first)."""

from __future__ import annotations

import pytest

import replylint

from replylint.engine import get_engine

# Every negative rule by its code, so the ones off by default (measured under 0.90 precision on
# real replies) are held to the idioms too.
NEGATIVE_ONLY = {"select": sorted({r.code for r in get_engine().rules if r.category.value == "negative"})}

ITALIAN = [
    "Non esitare a contattarci per qualsiasi dubbio.",
    "Non esiti a scriverci se ha bisogno di altro.",
    "Non vedo l'ora di sapere se la lampada ti piace.",
    "Nessun problema, ho già aggiornato l'indirizzo.",
    "Non c'è di che, è stato un piacere aiutarti!",
    "Non posso che ringraziarti per la pazienza.",
    "Non si preoccupi: il rimborso è già stato emesso.",
    "Non deve fare nulla, ci pensiamo noi.",
    "> Non posso accedere al mio account, dovete aiutarmi!\nCiao Anna, ti ho appena inviato il link per reimpostare la password.",
    "Ciao Luca, il reso è registrato.\n\nIl giorno lun 3 mar 2025 alle 10:12 Luca <luca@example.com> ha scritto:\n"
    "Non potete farmi aspettare così, è colpa vostra e dovete rimborsarmi!",
    "Hai scritto «non riesco a trovare la fattura»: eccola in allegato.",
]

ENGLISH = [
    "Don't hesitate to reach out if anything comes up.",
    "No problem at all, I've updated the address.",
    "Not a problem — happy to help!",
    "I can't wait to hear how you like it.",
    "I can't thank you enough for your patience.",
    "You don't need to do anything, we'll handle the return.",
    "> I can't log in and you must fix it today!\nHi Dana, I've just sent you a password reset link.",
    "Hi Tom, the refund is on its way.\n\nOn Mon, 3 Mar 2025 at 10:12, Tom <tom@example.com> wrote:\n"
    "You can't be serious. It's not my fault, you should have checked the address!",
    "You wrote \"I can't find the invoice\": here it is, attached.",
]


@pytest.mark.parametrize("text", ITALIAN)
def test_italian_idioms_and_quotes_stay_silent(text: str) -> None:
    findings = replylint.check(text, lang="it", config=NEGATIVE_ONLY).findings
    assert findings == [], [(f.code, f.excerpt) for f in findings]


@pytest.mark.parametrize("text", ENGLISH)
def test_english_idioms_and_quotes_stay_silent(text: str) -> None:
    findings = replylint.check(text, lang="en", config=NEGATIVE_ONLY).findings
    assert findings == [], [(f.code, f.excerpt) for f in findings]


@pytest.mark.parametrize(("text", "lang", "code"), [
    ("Non possiamo rimborsare la spedizione.", "it", "NEG101"),
    ("Come già detto, il reso è scaduto.", "it", "NEG120"),
    ("We can't refund the shipping fee.", "en", "NEG101"),
    ("As I said, the return window has closed.", "en", "NEG120"),
])
def test_the_same_words_outside_idioms_and_quotes_do_fire(text: str, lang: str, code: str) -> None:
    assert code in {f.code for f in replylint.check(text, lang=lang, config=NEGATIVE_ONLY).findings}
