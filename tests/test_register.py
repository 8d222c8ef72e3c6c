"""Italian register (tu / Lei / voi): the cues of each form, the article traps, mixing with spans.

At least 30 sentences per form (issue #4). Each must show cues of its own form only;
the look-alikes — "Le"/"La" as articles, third persons about things, "vi sono", "sei
mesi" — must show none.
"""

from __future__ import annotations

import pytest

import replylint
from replylint.core.context import Context
from replylint.kinds.register import address_cues
from replylint.engine import get_engine
from replylint.core.matching import IndexedDoc
from replylint.text.prepare import prepare

TU = [
 "Ti ho inviato il codice per il reso.",
 "Grazie per la pazienza, ti aggiorno entro domani.",
 "Il tuo ordine è partito stamattina.",
 "Puoi restituire l'articolo entro 30 giorni.",
 "Se hai domande, scrivici pure.",
 "Contattaci quando vuoi.",
 "Hai ragione, il ritardo non va bene.",
 "Riceverai il rimborso entro cinque giorni lavorativi.",
 "Se vuoi, posso cambiarti la taglia.",
 "Non preoccuparti, ci pensiamo noi.",
 "Scusa per l'attesa.",
 "Ecco la tua ricevuta.",
 "Fammi sapere se il codice funziona.",
 "Sei stato gentilissimo a segnalarcelo.",
 "Posso inviarti un nuovo paio oggi stesso.",
 "Trovi tutte le istruzioni nella mail che ti ho mandato.",
 "Clicca sul link e segui i passaggi.",
 "Accedi al tuo account e apri la sezione Ordini.",
 "Le scarpe che hai ordinato sono partite ieri.",
 "Te lo spedisco domani mattina.",
 "Vuoi che ti richiami nel pomeriggio?",
 "Devi solo stampare l'etichetta.",
 "Scrivimi se qualcosa non torna.",
 "I tuoi punti fedeltà sono già sul conto.",
 "Controlla la cartella spam, per favore.",
 "Grazie a te per la fiducia!",
 "Potrai usare il buono fino a dicembre.",
 "Se mi mandi una foto, apro subito la pratica.",
 "Ci tengo a ringraziarti per la segnalazione.",
 "Vedrai l'accredito sulla carta entro venerdì.",
 "Dimmi pure quale colore preferisci.",
 "Le spese di spedizione te le rimborsiamo noi.",
]
LEI = [
 "Le invio il codice per il reso.",
 "La ringrazio per la pazienza.",
 "Il Suo ordine è partito stamattina.",
 "Può restituire l'articolo entro 30 giorni.",
 "Se ha domande, ci scriva pure.",
 "Non esiti a contattarci.",
 "Ha perfettamente ragione, il ritardo non va bene.",
 "Le confermo che il rimborso è stato emesso.",
 "Mi faccia sapere se il codice funziona.",
 "Non si preoccupi, ci pensiamo noi.",
 "Le scarpe che ha ordinato sono partite ieri.",
 "Ci scusi per l'attesa.",
 "Le ho inviato una mail con le istruzioni.",
 "La contatteremo entro domani.",
 "Vorremmo ringraziarLa per la segnalazione.",
 "Ho controllato la Sua richiesta.",
 "Verifichi la cartella spam, per favore.",
 "Le è stato accreditato il rimborso.",
 "Se Le serve un'altra taglia, me lo dica.",
 "Può contattarci al numero verde.",
 "Mi scriva quando ha ricevuto il pacco.",
 "Resto a Sua disposizione per qualsiasi dubbio.",
 "Siamo spiacenti per il disagio che Le abbiamo causato.",
 "Il modulo che ha compilato è corretto; Lei non deve fare altro.",
 "La terremo aggiornata sull'esito.",
 "Le faccio sapere appena arriva.",
 "Gentilmente verifichi l'indirizzo di consegna.",
 "La prego di attendere la conferma.",
 "Posso inviarLe un buono sconto.",
 "Clicchi sul link e segua i passaggi.",
 "Si rivolga pure al nostro numero verde.",
 "Abbia pazienza ancora un giorno.",
]
VOI = [
 "Vi ho inviato il codice per il reso.",
 "Vi ringraziamo per la pazienza.",
 "Il vostro ordine è partito stamattina.",
 "Potete restituire l'articolo entro 30 giorni.",
 "Se avete domande, scriveteci pure.",
 "Contattateci quando volete.",
 "Avete ragione, il ritardo non va bene.",
 "Riceverete il rimborso entro cinque giorni lavorativi.",
 "Fateci sapere se il codice funziona.",
 "Non preoccupatevi, ci pensiamo noi.",
 "Le scarpe che avete ordinato sono partite ieri.",
 "Scusateci per l'attesa.",
 "Posso inviarvi un nuovo paio oggi stesso.",
 "La vostra richiesta è stata presa in carico.",
 "Siete stati gentilissimi a segnalarcelo.",
 "Troverete le istruzioni nella mail.",
 "Vi confermo che il rimborso è stato emesso.",
 "Volete che vi richiami nel pomeriggio?",
 "Dovete solo stampare l'etichetta.",
 "I vostri punti fedeltà sono già sul conto.",
 "Grazie a voi per la fiducia!",
 "Potrete usare il buono fino a dicembre.",
 "Ci teniamo a ringraziarvi per la segnalazione.",
 "Vedrete l'accredito sulla carta entro venerdì.",
 "Diteci pure quale colore preferite.",
 "Vi aggiorneremo entro domani.",
 "Vi scriviamo per confermare la prenotazione.",
 "Sapete già come funziona il reso?",
 "Rispondeteci a questa mail con le foto.",
 "Se preferite, possiamo sostituire il prodotto.",
 "Avrete il nuovo divano entro venerdì.",
]
NONE = [  # no address form at all: articles, third persons about things, impersonal forms
 "Le spese di spedizione sono gratuite.",
 "La consegna è prevista per giovedì.",
 "Le istruzioni sono nella confezione.",
 "La pratica è stata chiusa ieri.",
 "Il pacco ha subito un ritardo.",
 "Può capitare nei periodi di picco.",
 "Il rimborso può richiedere fino a cinque giorni.",
 "Vi sono due opzioni di spedizione.",
 "La garanzia dura sei mesi.",
 "Le foto del prodotto sono sul sito.",
 "Il corriere ha ritirato il reso stamattina.",
 "La Rinascente ha aperto un nuovo negozio.",
 "Le taglie vestono regolari.",
 "La merce è partita dal magazzino.",
 "Il sistema ha registrato il pagamento.",
 "Le scarpe le spediamo domani.",
 "La nuova collezione arriva a marzo.",
 "Il magazzino ha ricevuto il reso.",
 "Il tecnico potrà verificare il guasto sul posto.",
 "Sei mesi di garanzia sono inclusi.",
 "Il corriere ha detto che il suo furgone è in ritardo.",
]


def _forms(text: str) -> set[str]:
    runtime = get_engine()._runtimes["it"]
    masked = prepare(text).masked
    doc = runtime.nlp(masked)
    ctx = Context(text=text, masked=masked, doc=doc, index=IndexedDoc(doc, runtime.vocabulary), lang="it",
                  channel="email", customer=None, lexicon=runtime.lexicon, nlp=runtime.nlp,
                  vocabulary=runtime.vocabulary)
    return {form for _, _, form in address_cues(ctx)}


def test_at_least_thirty_sentences_per_form() -> None:
    assert len(TU) >= 30 and len(LEI) >= 30 and len(VOI) >= 30


@pytest.mark.parametrize(
    ("text", "form"),
    [pytest.param(t, f, id=f"{f}-{i}") for f, lst in (("tu", TU), ("lei", LEI), ("voi", VOI)) for i, t in enumerate(lst)],
)
def test_sentence_shows_its_form_only(text: str, form: str) -> None:
    assert _forms(text) == {form}


@pytest.mark.parametrize("text", NONE)
def test_look_alikes_show_no_form(text: str) -> None:
    assert _forms(text) == set()


def _reg(text: str, **kw):  # type: ignore[no-untyped-def]
    return [f for f in replylint.check(text, lang="it", config={"select": ["REG"], **kw.pop("config", {})}, **kw).findings]


def test_mixing_points_at_each_minority_span_with_a_suggestion() -> None:
    text = "Gentile cliente, Le confermo il rimborso e La ringrazio. Se hai domande, contattaci."
    found = _reg(text)
    assert [(f.code, f.excerpt) for f in found] == [("REG101", "hai"), ("REG101", "contattaci")]
    assert [text[f.span.start:f.span.end] for f in found] == ["hai", "contattaci"]
    assert [f.suggestions[0].replacement for f in found] == ["ha", "ci contatti"]
    assert "Lei" in found[0].message


def test_article_cases_in_a_consistent_reply_stay_silent() -> None:
    text = ("Ciao Marta,\nLe spese di spedizione sono gratuite. La consegna è prevista per giovedì "
            "e ti mando il tracking appena parte.")
    assert _reg(text) == []


def test_quoted_voi_is_not_an_address_form() -> None:
    text = "> Voi non rispondete mai, vergognatevi!\nCiao Luca, ti rispondo subito: il rimborso è partito."
    assert _reg(text) == []


def test_brand_form_wins_over_the_majority() -> None:
    text = "Ti ho spedito il pacco, ti mando il tracking e La ringrazio per la pazienza."
    brand = {"brands": {"bank": {"formality": "lei"}}, "brand": "bank"}
    found = _reg(text, config=brand)
    assert {f.excerpt for f in found} == {"Ti", "ti"}
    assert all(f.code == "REG101" for f in found)
    assert _reg(text)[0].excerpt == "La ringrazio"  # without a brand the majority (tu) wins


def test_consistent_reply_in_another_form_than_the_brand() -> None:
    text = "Ciao Marta, ti ho spedito il pacco e puoi seguirlo dal link."
    found = _reg(text, config={"brands": {"bank": {"formality": "lei"}}, "brand": "bank"})
    assert [f.code for f in found] == ["REG102"]
    assert "tu" in found[0].message and "Lei" in found[0].message
    assert _reg(text, config={"brands": {"shop": {"formality": "tu"}}, "brand": "shop"}) == []
