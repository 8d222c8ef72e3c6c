"""The lexicons behind LATTE, structure and context rules: each cue list finds what it
should and nothing it should not. A typo in a lexicon pattern (a multi-word alternative
written as one spec, a lemma that does not exist) silently matches nothing; these
cases catch that."""

from __future__ import annotations

import pytest

from replylint.engine import get_engine
from replylint.core.matching import IndexedDoc

CASES = {
    "it": {
        "greeting": (["Ciao Marta,", "Buongiorno Sig. Rossi,", "Gentile cliente,", "Buon pomeriggio Luca"],
                     ["Grazie per il messaggio.", "Il pacco è partito."]),
        "signoff": (["Cordiali saluti,", "Un caro saluto", "A presto!", "Il team Acme"],
                    ["Il pacco arriva domani.", "Ho controllato l'ordine."]),
        "closing": (["Non esitare a contattarci.", "Se hai domande, rispondi pure a questa email.",
                     "Resto a disposizione per qualsiasi dubbio.", "Fammi sapere se va bene.",
                     "Mi faccia sapere se ha bisogno.", "Se preferisci un altro modello, rispondimi qui.",
                     "Per altre domande siamo a disposizione.", "Dimmi tu cosa preferisci.",
                     "Mi basta una Sua risposta.", "Se entro venerdì non lo vedi, rispondi a questa email."],
                    ["Il rimborso è stato emesso.", "Ti ho inviato il codice.", "Il reso è gratuito."]),
        "latte_listen": (["Ho letto che il pacco è arrivato aperto.", "Mi scrivi che la lampada non si accende.",
                          "Ho controllato l'ordine 48213.", "La pratica n. 55120 è aperta.",
                          "La libreria che ha ordinato partirà lunedì.", "Il rinnovo del tuo abbonamento è disattivato.",
                          "In riferimento alla Sua richiesta relativa al rimborso, le confermo l'accredito.",
                          "Grazie per averci avvisato del trasloco.", "Grazie per avercelo segnalato.",
                          "Ci spiace per il vaso rotto.", "Scusa per il ritardo.", "Ci fa piacere sapere che la crema ti piace.",
                          "Nella pagina del reso scegli l'articolo che vuoi restituire.", "Ti avviso quando torna la taglia 38.",
                          "Il quesito da Lei formulato riguarda la penale."],
                         ["Il pacco è partito ieri.", "Grazie per averci contattato.",
                          "La sua richiesta è stata presa in carico.", "Ci scusiamo per il disagio."]),
        "latte_acknowledge": (["Mi dispiace per il ritardo.", "Ci scusiamo per il disagio.",
                               "Capisco quanto sia frustrante.", "Ha perfettamente ragione.",
                               "Scusa per lo scambio.", "Scusa la confusione sul rimborso.", "Capisco che sia scomodo.",
                               "Dell'errore la scrivente si scusa.", "La scrivente si rammarica per il disguido.",
                               "Che bello sapere che il caffè è venuto perfetto!", "Ci fa piacere leggerlo."],
                              ["Il pacco è partito ieri.", "Grazie per l'ordine.", "Nessun problema, ecco il codice."]),
        "latte_take_action": (["Ho già inviato un nuovo pacco.", "Ti ho rimborsato la spedizione.",
                               "Posso inviarti un sostituto.", "Il rimborso è stato emesso oggi.",
                               "Le ho appena spedito l'etichetta.", "In allegato trovi la fattura.",
                               "Ho disattivato io il rinnovo.", "Ho comunque segnalato il Suo ordine al laboratorio.",
                               "Te lo teniamo da parte fino a sabato.", "Il sostituto è partito oggi.",
                               "La stiamo lavorando.", "Ti ho iscritta all'avviso di disponibilità.",
                               "Posso farti arrivare il pacco sabato.", "Giro subito il complimento al team.",
                               "È stato disposto l'inoltro del set corretto."],
                              ["Non posso inviarti un sostituto.", "Mi dispiace per il ritardo.",
                               "Puoi aggiungere il montaggio nel carrello.", "Per ulteriori domande può contattare il servizio clienti.",
                               "Il pacco non è partito.", "Non possiamo fare niente.", "L'ordine è stato annullato."]),
        "latte_thank": (["Grazie per la pazienza.", "La ringrazio per la segnalazione.",
                         "RingraziandoLa per la collaborazione, porgo distinti saluti."],
                        ["Il pacco è partito."]),
        "latte_explain": (["Riceverai il rimborso entro 5 giorni lavorativi.", "Ti aggiorno entro giovedì.",
                           "Ti scriverò appena ricevo notizie.", "Nel frattempo puoi usare il codice.",
                           "Ti mando la fattura via email entro un'ora.", "L'accredito richiede 5-7 giorni lavorativi.",
                           "La banca le accrediterà l'importo lunedì.", "Il colore tornerà disponibile il 15 marzo.",
                           "Puoi farlo in due minuti dal profilo."],
                          ["Mi dispiace per il ritardo.", "Grazie per la segnalazione.", "Ti faremo sapere.",
                           "Il servizio clienti risponde dal lunedì al venerdì.", "Basta leggere la scheda tecnica.",
                           "Si invita a regolarizzare la posizione entro i termini previsti."]),
        "apology": (["Ci scusiamo per il disagio.", "Mi dispiace molto."], ["Grazie mille!"]),
        "complaint": (["Il pacco è arrivato rotto.", "La lampada non funziona.", "Ancora niente, è una vergogna!",
                       "Mi avete addebitato due volte.", "La suola si è scollata.",
                       "Ho ricevuto una giacca da uomo invece di quella da donna.", "Il tracking non si aggiorna più.",
                       "Doveva arrivare martedì e non c'è traccia.", "Vedo un ordine che non ho fatto!",
                       "Mi avete annullato l'ordine. Potevate dirlo prima!", "Consegna prevista il 9, nessuna notizia.",
                       "Sul vostro sito non si capisce niente.", "Vi ho chiesto il rimborso tre volte."],
                      ["Vorrei sapere se spedite in Svizzera.", "Complimenti per il servizio!",
                       "Posso avere il rimborso su PayPal invece che sulla carta?",
                       "La tastiera sarà di nuovo disponibile?", "Ho sbagliato io la taglia, posso cambiarla?",
                       "Grazie mille, siete stati velocissimi!"]),
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
                     "Let me know if that works.", "Feel free to write back.",
                     "We remain at your disposal.", "Should you need anything else, reply here."],
                    ["The refund was issued.", "I've sent you the code."]),
        "latte_listen": (["I see your parcel arrived opened.", "You mentioned the lamp won't switch on.",
                          "I checked order #48213.", "Case no. 55120 is open.",
                          "Sorry your parcel hasn't arrived.", "I'm sorry about the cracked jug.",
                          "Your chairs are still stuck at the depot."],
                         ["Your parcel left yesterday.", "Sorry for the wait."]),
        "latte_acknowledge": (["I'm so sorry about the delay.", "We apologise for the inconvenience.",
                               "I understand how frustrating this is.", "You're absolutely right.",
                               "Sorry your parcel went missing.", "That's completely fair.",
                               "So glad the dress fits!", "That was entirely our mistake."],
                              ["Your parcel left yesterday.", "Thanks for your order.",
                               "The delay is not our fault.", "I'm happy to help."]),
        "latte_take_action": (["I'll get you a new charger today.", "I've already shipped a replacement.", "I can send a new set.",
                               "The refund has been issued.", "I'd be happy to swap it.", "Here's your label.",
                               "I've posted a spare part today.", "I found your account and relinked it.",
                               "I'd like to chase it for you today."],
                              ["I'm sorry about the delay.", "We can't send a new set.",
                               "I look forward to hearing from you.", "We ship to Switzerland.",
                               "Your request has been logged."]),
        "latte_thank": (["Thanks for your patience.", "I really appreciate your feedback.",
                         "We are grateful for your patience."],
                        ["Your parcel left yesterday."]),
        "latte_explain": (["You'll receive the refund within 5 business days.", "I'll update you by Thursday.",
                           "As soon as it arrives, I'll let you know.", "In the meantime, you can use the code.",
                           "It should reach you in 2–3 working days.", "We'll call you before 5pm tomorrow.",
                           "It's due back in stock next week.", "Your last box arrives on the 27th."],
                          ["I'm sorry about the delay.", "Thanks for reporting this.",
                           "If you have any questions, feel free to get in touch.",
                           "You have 60 days from delivery to return it.", "It is usually the better pick.",
                           "We will send written confirmation in due course."]),
        "apology": (["We apologise for the inconvenience.", "I'm very sorry."], ["Thanks so much!"]),
        "complaint": (["My parcel arrived broken.", "The lamp doesn't work.", "Still nothing, this is ridiculous!",
                       "You charged me twice.", "My order is now 6 days late.", "It was meant to arrive last week.",
                       "The app keeps logging me out.", "It stopped heating after 3 days.",
                       "I ordered a king-size cover but received a single.", "Not what I paid for!",
                       "Why was I charged £8 extra?", "Nobody has told me why.", "Where is my refund??",
                       "The return label won't scan."],
                      ["Do you ship to Switzerland?", "Great service, well done!",
                       "Can I get my refund as store credit instead of back to my card?",
                       "How long do I have to return a jacket? It doesn't fit.",
                       "Can I pause my subscription instead of cancelling?",
                       "Thanks so much for sorting my refund so fast!"]),
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

