"""Offline spelling (SPL101): typos found with the right suggestion, and everything a reviewer
would leave alone left alone — names, brands, products, links, codes, the customer's words,
quoted text, capitals, support jargon, the other language's words, contractions."""

from __future__ import annotations

import pytest

import replylint
from replylint.authoring.examples import cases, run_case
from replylint.engine import get_engine
from replylint.models import Finding
from replylint.text import spelling
from replylint.text.spelling import same_letters, speller, typo_cost


def spelling_findings(text: str, lang: str, **kwargs) -> list[Finding]:
    config = {"select": ["SPL101"], **kwargs.pop("config", {})}
    report = replylint.check(text, lang=lang, config=config, **kwargs)
    return [f for f in report.findings if f.code == "SPL101"]


def flagged(text: str, lang: str, **kwargs) -> list[str]:
    return [f.excerpt for f in spelling_findings(text, lang, **kwargs)]


# -- typos found, with the right suggestion ----------------------------------------------------

TYPOS = [
    ("it", "Ciao Marta, ho ricevutto la tua segnalazione.", "ricevutto", "ricevuto"),
    ("it", "Il rimborso dell'ordne è stato emesso ieri.", "ordne", "ordine"),
    ("it", "Grazzie per la pazienza, il pacco è partito.", "Grazzie", "Grazie"),
    ("it", "La spedizzione è gratuita sopra i 50 euro.", "spedizzione", "spedizione"),
    ("it", "Ti scrivo perchè il corriere ha ritirato il pacco.", "perchè", "perché"),
    ("it", "Il tecnico ti chiamerà e puo passare domani.", "puo", "può"),
    ("en", "Thank you for your patiance while we looked into this.", "patiance", "patience"),
    ("en", "I can confirm we recieved your return this morning.", "recieved", "received"),
    ("en", "Your replacement will ship tommorow by express courier.", "tommorow", "tomorrow"),
    ("en", "Could you send us the adress for the new parcel?", "adress", "address"),
    ("en", "We will definately keep you posted on the claim.", "definately", "definitely"),
]


@pytest.mark.parametrize(("lang", "text", "word", "fix"), TYPOS, ids=[t[2] for t in TYPOS])
def test_typo_is_found_with_its_correction(lang: str, text: str, word: str, fix: str) -> None:
    (finding,) = spelling_findings(text, lang)
    assert finding.excerpt == word and text[finding.span.start:finding.span.end] == word
    assert finding.category.value == "quality" and finding.severity.value == "warning"
    assert finding.name == "misspelled-word"
    (suggestion,) = finding.suggestions
    assert suggestion.replacement == fix and not suggestion.unsafe
    assert fix in suggestion.advice


def test_messages_follow_the_message_language() -> None:
    (it,) = spelling_findings("Ho ricevutto il pacco.", "it")
    assert it.message == "«ricevutto» non è nel dizionario italiano: controlla come si scrive."
    assert it.suggestions[0].advice == "Forse intendevi «ricevuto»?"
    (en,) = spelling_findings("Ho ricevutto il pacco.", "it", config={"messages": "en"})
    assert en.message.startswith("«ricevutto» is not in the Italian dictionary")
    assert en.suggestions[0].advice == "Did you mean 'ricevuto'?"


# -- replacement only when it is the one clear fix ------------------------------------------------


def test_replacement_only_when_unambiguous() -> None:
    # "account" and "accent" are one replacement away and of comparable frequency: advice only.
    (finding,) = spelling_findings("You can close it from your accunt settings.", "en")
    (suggestion,) = finding.suggestions
    assert suggestion.replacement is None
    assert suggestion.advice == "Did you mean 'account' or 'accent'?"
    # "dovre": several verbs are one edit away, none clearly the one meant.
    (finding,) = spelling_findings("Per il terzo lotto dovre usare il servizio di conferma.", "it")
    assert finding.suggestions[0].replacement is None
    assert finding.suggestions[0].advice.count("«") == 3  # up to three candidates, ranked


def test_a_likelier_slip_wins_over_a_more_common_word() -> None:
    # "recieved": swapping two letters (received) is a likelier slip than replacing one (relieved).
    corrections = speller("en").corrections("recieved")
    assert [c.word for c in corrections[:2]] == ["received", "relieved"]
    assert corrections[0].cost < corrections[1].cost


def test_typo_cost_prices_the_common_slips_lower() -> None:
    assert typo_cost("recieved", "received") == 0.5  # swap
    assert typo_cost("adress", "address") == 0.5  # doubled letter
    assert typo_cost("perchè", "perché") == 0.25  # accent
    assert typo_cost("ordne", "ordine") == 1.0  # a letter missing
    assert typo_cost("tommorow", "tomorrow") == 1.0  # undoubled + doubled
    assert same_letters("puo", "può") and same_letters("teh", "the") and not same_letters("iss", "is")


# -- what the dictionaries know ---------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Ho ricevuto il pacco, la fattura è stata ricevuta e i resi sono stati ricevuti.",
    "Se vuoi posso mandartelo domani, oppure inviartelo via email: contattarci è semplice.",
    "Il rimborso dell'ordine è in corso, e l'importo arriva su qualsiasi carta.",
    "Ti confermo che provvederemo alla sostituzione: scusaci per il disagio.",
])
def test_italian_inflections_clitics_and_elisions_are_words(text: str) -> None:
    assert flagged(text, "it") == []


@pytest.mark.parametrize("text", [
    "The colour you picked is back in stock, and the color chart is updated.",
    "I've cancelled the old order and canceled the duplicate charge.",
    "We apologise for the delay and we'll organize a pickup.",
])
def test_american_and_british_spellings_are_both_words(text: str) -> None:
    assert flagged(text, "en") == []


# -- never flagged ----------------------------------------------------------------------------
# Each case uses a word that is flagged in a plain sentence (the control), so that silence comes
# from the exception under test and not from the word.

CONTROL = {"it": "Ti ho spedito il ricevutto oggi.", "en": "We shipped the recieved item today."}


@pytest.mark.parametrize("lang", ["it", "en"])
def test_control_sentences_are_flagged(lang: str) -> None:
    assert len(flagged(CONTROL[lang], lang)) == 1


NEVER = [
    ("it", "greeting name", "Ciao Ricevutto, il pacco è partito oggi.", {}),
    ("it", "lower-case name after a greeting", "Ciao ricevutto, il pacco è partito oggi.", {}),
    ("it", "sign-off name", "Il pacco è partito oggi.\n\nUn saluto,\nRicevutto", {}),
    ("it", "name in the customer's message", "Il pacco per ricevutto è partito oggi.",
     {"customer": "Sono Ricevutto, dov'è il mio pacco?"}),
    ("it", "word of the customer's message", "Ho controllato il tuo ricevutto: è partito oggi.",
     {"customer": "Il mio ricevutto non è ancora arrivato!"}),
    ("it", "brand term", "Il tuo ricevutto arriva domani.",
     {"config": {"brands": {"acme": {"terms": ["Ricevutto Plus"]}}, "brand": "acme"}}),
    ("it", "product name inside a sentence", "Il tuo Ricevutto Express arriva domani.", {}),
    ("it", "URL", "Trovi tutto su https://esempio.it/ricevutto/resi oggi.", {}),
    ("it", "e-mail address", "Scrivi pure a ricevutto@esempio.it oggi.", {}),
    ("it", "code with digits", "Il codice ricevutto42 è valido oggi.", {}),
    ("it", "hashtag", "Seguici su #ricevutto per le novità.", {}),
    ("it", "handle", "Scrivici in privato su @ricevutto per le novità.", {}),
    ("it", "inline code", "Nel campo `ricevutto` metti il numero d'ordine.", {}),
    ("it", "quoted history", "Ho controllato il pacco.\n\n> il ricevutto non è arrivato\n", {}),
    ("it", "quoted inline", "Mi scrivi «il ricevutto non è arrivato»: controllo subito.", {}),
    ("it", "signature", "Ho controllato il pacco.\n-- \nricevutto srl, via Roma 1", {}),
    ("it", "all caps", "Il RICEVUTTO è arrivato in magazzino.", {}),
    ("it", "support jargon", ("Ti mando l'email con il link e il tracking: ok? Nell'app trovi l'account, "
                              "la password, il login, il refund e il feedback."), {}),
    ("it", "English word", "Ho aggiornato la dashboard e il workflow del deploy.", {}),
    ("it", "apostrophe for an accent", "Il pacco e' partito perche' il corriere l'ha ritirato.", {}),
    ("it", "hyphenated compound", "Il servizio è attivo lun-ven e via e-mail.", {}),
    ("it", "abbreviation", "Vedi il par. 4, lett. c) del regolamento, cfr. la nota.", {}),
    ("en", "greeting name", "Hi Recieved, your parcel left today.", {}),
    ("en", "sign-off name", "Your parcel left today.\n\nCheers,\nNiamh", {}),
    ("en", "word of the customer's message", "I checked your recieved order: it left today.",
     {"customer": "My recieved order is wrong!"}),
    ("en", "brand term", "Your recieved box arrives tomorrow.",
     {"config": {"brands": {"acme": {"terms": ["Recieved Box"]}}, "brand": "acme"}}),
    ("en", "URL and e-mail", "See https://example.com/recieved or write to recieved@example.com.", {}),
    ("en", "hashtag and handle", "DM us at @recieved or use #recieved and we'll look.", {}),
    ("en", "all caps", "We have RECIEVED your parcel at the depot.", {}),
    ("en", "contractions", "Don't worry, you're all set and we'll ship it, y'all.", {}),
    ("en", "Italian word", "Grazie mille for your patience, ciao!", {}),
    ("en", "drawn-out word", "Yaaasss, your order is on its way!", {}),
]


@pytest.mark.parametrize(("lang", "what", "text", "kwargs"), NEVER, ids=[f"{n[0]}-{n[1]}" for n in NEVER])
def test_never_flagged(lang: str, what: str, text: str, kwargs: dict) -> None:
    assert flagged(text, lang, **kwargs) == [], what


def test_a_reply_that_is_not_prose_in_the_language_is_left_alone() -> None:
    # Mostly words no dictionary has: another language, code, a log. Nothing is flagged.
    text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt."
    assert flagged(text, "en") == []


def test_a_term_the_dictionaries_lack_without_a_near_word_is_left_alone() -> None:
    assert flagged("La contrattualizzazione con l'aggiudicatario avviene dopo la verifica.", "it") == []


def test_compounds_of_dictionary_words_are_left_alone() -> None:
    assert flagged("Your ereader syncs with the webform once you log in.", "en") == []
    assert flagged("L'autolettura del contatore si comunica online.", "it") == []


# -- the rule's own examples ------------------------------------------------------------------

SPELLING_CASES = cases(r for r in get_engine().rules if r.code == "SPL101")


def test_both_languages_ship_the_rule() -> None:
    assert {c.rule.lang for c in SPELLING_CASES} == {"it", "en"}


@pytest.mark.parametrize("case", SPELLING_CASES, ids=[c.id for c in SPELLING_CASES])
def test_yaml_examples(case) -> None:
    result = run_case(case)
    assert result.passed, result.describe()


# -- loading and caching ----------------------------------------------------------------------


def test_dictionaries_load_from_installed_packages_and_answer_as_spylls_would() -> None:
    from spylls.hunspell import Dictionary

    folder = spelling._hunspell_dir()
    assert (folder / "it_IT" / "it_IT.dic").is_file()
    slim = speller("it").hunspell()[0]
    plain = Dictionary.from_files(str(folder / "it_IT" / "it_IT"))
    for word in ("ricevuto", "mandartelo", "contattarci", "dell'ordine", "Marco", "ricevutto", "perchè", "Grazie"):
        assert slim.lookup(word) == plain.lookup(word), word


def test_load_warms_the_spelling_dictionaries() -> None:
    replylint.load()
    for lang in ("it", "en"):
        assert spelling._spellers[lang]._hunspell is not None


def test_corrections_are_cached_per_word() -> None:
    spell = speller("it")
    first = spell.corrections("spedizzione")
    assert spell.corrections("spedizzione") is first


@pytest.mark.parametrize("lang", ["it", "en"])
def test_frequency_list_is_the_one_pyspellchecker_builds(lang: str) -> None:
    """Read straight from pyspellchecker's file (a third of the cost): the same words and counts
    as its case-insensitive SpellChecker holds."""
    from spellchecker import SpellChecker

    expected = dict(SpellChecker(language=lang, distance=1).word_frequency.dictionary)
    assert spelling._load_frequencies(lang) == expected
