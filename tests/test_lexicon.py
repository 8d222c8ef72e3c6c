"""The lexicons behind LATTE, structure and context rules: each cue list finds what it
should and nothing it should not. A typo in a lexicon pattern (a multi-word alternative
written as one spec, a lemma that does not exist) silently matches nothing; these
cases catch that."""

from __future__ import annotations

import pytest

from replylint.engine import get_engine
from replylint.matching import IndexedDoc

CASES = {
    "it": {
        "greeting": (["Ciao Marta,", "Buongiorno Sig. Rossi,", "Gentile cliente,", "Buon pomeriggio Luca"],
                     ["Grazie per il messaggio.", "Il pacco è partito."]),
        "signoff": (["Cordiali saluti,", "Un caro saluto", "A presto!", "Il team Acme"],
                    ["Il pacco arriva domani.", "Ho controllato l'ordine."]),
        "closing": (["Non esitare a contattarci.", "Se hai domande, rispondi pure a questa email.",
                     "Resto a disposizione per qualsiasi dubbio.", "Fammi sapere se va bene.",
                     "Mi faccia sapere se ha bisogno."],
                    ["Il rimborso è stato emesso.", "Ti ho inviato il codice."]),
        "latte_listen": (["Ho letto che il pacco è arrivato aperto.", "Mi scrivi che la lampada non si accende.",
                          "Ho controllato l'ordine 48213.", "La pratica n. 55120 è aperta."],
                         ["Il pacco è partito ieri."]),
        "latte_acknowledge": (["Mi dispiace per il ritardo.", "Ci scusiamo per il disagio.",
                               "Capisco quanto sia frustrante.", "Ha perfettamente ragione."],
                              ["Il pacco è partito ieri.", "Grazie per l'ordine."]),
        "latte_take_action": (["Ho già inviato un nuovo pacco.", "Ti ho rimborsato la spedizione.",
                               "Posso inviarti un sostituto.", "Il rimborso è stato emesso oggi.",
                               "Le ho appena spedito l'etichetta.", "In allegato trovi la fattura."],
                              ["Non posso inviarti un sostituto.", "Mi dispiace per il ritardo."]),
        "latte_thank": (["Grazie per la pazienza.", "La ringrazio per la segnalazione."],
                        ["Il pacco è partito."]),
        "latte_explain": (["Riceverai il rimborso entro 5 giorni lavorativi.", "Ti aggiorno entro giovedì.",
                           "Ti scriverò appena ricevo notizie.", "Nel frattempo puoi usare il codice."],
                          ["Mi dispiace per il ritardo.", "Grazie per la segnalazione."]),
        "apology": (["Ci scusiamo per il disagio.", "Mi dispiace molto."], ["Grazie mille!"]),
        "complaint": (["Il pacco è arrivato rotto.", "La lampada non funziona.", "Ancora niente, è una vergogna!",
                       "Mi avete addebitato due volte.", "La suola si è scollata."],
                      ["Vorrei sapere se spedite in Svizzera.", "Complimenti per il servizio!"]),
        "step_markers": (["Accedi, poi apri Ordini, quindi clicca Reso."], ["Accedi al tuo account."]),
        "register_tu": (["Ti ho inviato il codice.", "Se hai domande, scrivici.", "Posso inviarti un buono."],
                        ["Le spese di spedizione sono gratuite.", "La garanzia dura sei mesi."]),
        "register_lei": (["La ringrazio per la pazienza.", "Le invio il codice.", "Le scarpe che ha ordinato sono partite.",
                          "Non esiti a contattarci."],
                         ["Le spese di spedizione sono gratuite.", "La consegna è prevista domani.",
                          "Il pacco ha subito un ritardo, può capitare."]),
        "register_voi": (["Vi ringraziamo.", "Potete restituirlo.", "Contattateci quando volete."],
                         ["Ci vediamo presto.", "Nervi saldi."]),
        "register_not": (["Vi sono due opzioni.", "La garanzia dura sei mesi."], ["Vi ringraziamo."]),
        "upset": (["È vergognoso.", "Sono davvero arrabbiata.", "Mai più da voi."], ["Grazie per l'aiuto."]),
        "repeat": (["Vi scrivo di nuovo.", "Ancora niente.", "È la terza volta."], ["Ancora grazie!"]),
        "urgent": (["Mi serve subito.", "È urgente.", "Rispondete il prima possibile."], ["Quando potete."]),
        "playful": (["Ahahah che storia.", "Evviva!", "Ops, che pasticcio."], ["Mi dispiace per il ritardo."]),
    },
    "en": {
        "greeting": (["Hi Martha,", "Dear Mr Ross,", "Good morning Luke", "Hello!"],
                     ["Thanks for your message.", "Your parcel has shipped."]),
        "signoff": (["Kind regards,", "Best wishes", "Thanks,", "The Acme team"],
                    ["The parcel arrives tomorrow.", "I checked your order."]),
        "closing": (["Don't hesitate to reach out.", "If you have any questions, just reply to this email.",
                     "Let me know if that works.", "Feel free to write back."],
                    ["The refund was issued.", "I've sent you the code."]),
        "latte_listen": (["I see your parcel arrived opened.", "You mentioned the lamp won't switch on.",
                          "I checked order #48213.", "Case no. 55120 is open."],
                         ["Your parcel left yesterday."]),
        "latte_acknowledge": (["I'm so sorry about the delay.", "We apologise for the inconvenience.",
                               "I understand how frustrating this is.", "You're absolutely right."],
                              ["Your parcel left yesterday.", "Thanks for your order."]),
        "latte_take_action": (["I've already shipped a replacement.", "I can send a new set.",
                               "The refund has been issued.", "I'd be happy to swap it.", "Here's your label."],
                              ["I'm sorry about the delay.", "We can't send a new set."]),
        "latte_thank": (["Thanks for your patience.", "I really appreciate your feedback."],
                        ["Your parcel left yesterday."]),
        "latte_explain": (["You'll receive the refund within 5 business days.", "I'll update you by Thursday.",
                           "As soon as it arrives, I'll let you know.", "In the meantime, you can use the code."],
                          ["I'm sorry about the delay.", "Thanks for reporting this."]),
        "apology": (["We apologise for the inconvenience.", "I'm very sorry."], ["Thanks so much!"]),
        "complaint": (["My parcel arrived broken.", "The lamp doesn't work.", "Still nothing, this is ridiculous!",
                       "You charged me twice."],
                      ["Do you ship to Switzerland?", "Great service, well done!"]),
        "step_markers": (["Log in, then open Orders, after that click Return."], ["Log in to your account."]),
        "upset": (["Worst service ever.", "This is ridiculous.", "Never again."], ["Thanks for the help."]),
        "repeat": (["Still not here.", "This is the second time.", "I've already called twice."],
                   ["I still love it."]),
        "urgent": (["I need it urgently.", "Refund me right now.", "Please reply as soon as possible."],
                   ["Whenever you can."]),
        "playful": (["Haha oh dear.", "Yay, found it!", "Oopsie."], ["Sorry about the delay."]),
        "formal_breaches": (["We'll send it.", "It's gonna arrive.", "No worries."],
                            ["We will send it.", "The customer's parcel."]),
        "casual_breaches": (["We regret to inform you.", "Kindly return the form.", "Dear Sir or Madam,"],
                            ["Thanks for your message."]),
    },
}


def _finds(lang: str, entry: str, text: str) -> bool:
    engine = get_engine()
    runtime = engine._runtimes[lang]
    doc = runtime.nlp(text)
    index = IndexedDoc(doc, runtime.vocabulary)
    return bool(runtime.lexicon.find(entry, index))


@pytest.mark.parametrize(
    ("lang", "entry", "text", "expected"),
    [
        pytest.param(lang, entry, text, expected, id=f"{lang}-{entry}-{'yes' if expected else 'no'}{i}")
        for lang, entries in CASES.items()
        for entry, (yes, no) in entries.items()
        for expected, texts in ((True, yes), (False, no))
        for i, text in enumerate(texts)
    ],
)
def test_lexicon_entry(lang: str, entry: str, text: str, expected: bool) -> None:
    assert _finds(lang, entry, text) is expected


def test_every_lexicon_entry_is_tested() -> None:
    for lang, entries in CASES.items():
        assert set(get_engine()._runtimes[lang].lexicon.groups) == set(entries), lang

