"""A deterministic generator of realistic ~150-word support replies, for the benchmarks.

Replies are assembled from sentence banks written for this project: a
greeting, a body mixing neutral, positive and (about a quarter of the time)
negative sentences, and a closing. The same seed gives the same corpus, so
figures from two runs compare.
"""

from __future__ import annotations

import random

BANKS = {
    "it": {
        "greeting": ["Ciao {name},", "Buongiorno {name},", "Gentile {name},", "Salve {name},"],
        "name": ["Marco", "Giulia", "Sig.ra Rossi", "Luca", "Francesca", "Sig. Bianchi", "Chiara"],
        "neutral": [
            "Ho controllato l'ordine {order} nel nostro gestionale e vedo che è partito dal magazzino di Piacenza martedì mattina.",
            "Il corriere ha registrato il pacco nel centro di smistamento e la consegna è prevista entro tre giorni lavorativi.",
            "Ti allego il link per seguire la spedizione, così puoi vedere ogni passaggio in tempo reale.",
            "Il rimborso è stato emesso oggi sulla stessa carta usata per l'acquisto e di solito compare in cinque giorni lavorativi.",
            "Per il cambio taglia basta rispondere a questa mail indicando la misura che preferisci.",
            "Ho aggiornato l'indirizzo di consegna come richiesto e il corriere riceverà i nuovi dati entro stasera.",
            "Il prodotto che hai scelto è compatibile con il modello precedente e usa lo stesso caricatore.",
            "La garanzia copre due anni dalla data di acquisto e comprende la sostituzione dei pezzi difettosi.",
            "Ho inoltrato le foto del danno al reparto qualità, che le esaminerà nelle prossime ore.",
            "Il codice sconto è valido fino alla fine del mese su tutto il catalogo, accessori compresi.",
        ],
        "positive": [
            "Grazie per averci scritto e per la pazienza in questi giorni.",
            "Mi dispiace per l'inconveniente: capisco quanto sia scomodo aspettare un pacco che non arriva.",
            "Ho già preparato un reso gratuito e ti ho inviato l'etichetta per email.",
            "Ti scriverò di nuovo entro giovedì con un aggiornamento dal corriere.",
            "Se ti è più comodo, posso anche spedirti subito un prodotto sostitutivo.",
            "Non esitare a rispondere a questa mail se qualcosa non ti è chiaro.",
        ],
        "negative": [
            "Come già detto, non possiamo rimborsare le spese di spedizione.",
            "Purtroppo non è possibile modificare l'ordine dopo la conferma.",
            "Devi compilare il modulo online prima di spedire il reso.",
            "Avresti dovuto controllare l'indirizzo prima di pagare.",
            "Il ritardo non è colpa nostra, dipende dal corriere.",
            "La nostra policy non prevede rimborsi dopo trenta giorni.",
        ],
        "closing": [
            "Un caro saluto,\nGiulia del Servizio Clienti",
            "Cordiali saluti,\nMarco – Assistenza",
            "A presto,\nil team di supporto",
        ],
    },
    "en": {
        "greeting": ["Hi {name},", "Hello {name},", "Dear {name},", "Good morning {name},"],
        "name": ["Tom", "Sarah", "Ms Clarke", "James", "Priya", "Mr Evans", "Olivia"],
        "neutral": [
            "I checked order {order} in our system and it left our warehouse in Leeds on Tuesday morning.",
            "The courier scanned the parcel at their sorting hub and delivery is expected within three business days.",
            "Here is the tracking link, so you can follow every step of the delivery as it happens.",
            "The refund was issued today to the card you paid with and it usually shows up within five business days.",
            "To swap the size, simply reply to this email with the size you would like instead.",
            "I updated the delivery address as requested and the courier will receive the new details tonight.",
            "The model you picked works with the previous version and uses the same charger.",
            "The warranty covers two years from the purchase date, including replacement of faulty parts.",
            "I forwarded the photos of the damage to our quality team, who will review them in the next few hours.",
            "The discount code is valid until the end of the month on the whole catalogue, accessories included.",
        ],
        "positive": [
            "Thank you for reaching out and for your patience over the last few days.",
            "I'm sorry for the trouble: I understand how annoying it is to wait for a parcel that doesn't arrive.",
            "I have already set up a free return and emailed you the label.",
            "I'll write to you again by Thursday with an update from the courier.",
            "If it suits you better, I can also send a replacement today.",
            "Don't hesitate to reply to this email if anything is unclear.",
        ],
        "negative": [
            "As I said, we can't refund the shipping costs.",
            "Unfortunately it is not possible to change the order once it is confirmed.",
            "You must fill in the online form before sending the return.",
            "You should have checked the address before paying.",
            "The delay is not our fault, it depends on the courier.",
            "Our policy doesn't allow refunds after thirty days.",
        ],
        "closing": [
            "Kind regards,\nSarah from Customer Care",
            "Best wishes,\nTom – Support",
            "Talk soon,\nthe support team",
        ],
    },
}


def generate(lang: str, count: int, seed: int = 7) -> list[str]:
    """`count` replies of roughly 150 words in `lang`."""
    bank = BANKS[lang]
    rng = random.Random(f"{lang}-{seed}")
    replies = []
    for _ in range(count):
        sentences: list[str] = []
        words = 0
        while words < 135:
            roll = rng.random()
            pool = "negative" if roll < 0.12 else "positive" if roll < 0.4 else "neutral"
            sentence = rng.choice(bank[pool]).format(order=rng.randint(10_000, 99_999))
            sentences.append(sentence)
            words += len(sentence.split())
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        greeting = rng.choice(bank["greeting"]).format(name=rng.choice(bank["name"]))
        replies.append("\n\n".join([greeting, *paragraphs, rng.choice(bank["closing"])]))
    return replies
