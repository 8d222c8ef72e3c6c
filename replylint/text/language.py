"""Italian/English detection that also recognises "neither".

lingua is used because it is accurate on very short texts ("Grazie!",
"Thanks!"), ships its models inside the wheel (nothing is downloaded) and is
fast. It is asked to choose among the supported languages plus the
neighbours a European helpdesk meets most, and the Malay and Indonesian
that the real corpus's airline source answers in, so that a Spanish or a
Malay reply is reported as such instead of being forced into Italian or
English (`tests/corpus/real/make/other_languages.py` counts them). On replies too
short to tell reliably (one or two words) replylint does not claim a third
language: it picks the closer of Italian and English.

Detection sits on the path of every request that does not name its
language, so it is kept cheap. A reply of six words or more that holds three
different function words of Italian (or of English), and not one function
word of English (or of Italian) nor of the other seven languages, is settled
by its words alone and lingua is not asked (`_settled`): on the 4,263 texts
of the real corpus, the test corpora, the benchmark and the other-language
replies, 86.6% are settled so, every one as lingua decided. Everything else
goes to lingua: the wide detector reads only the first 200 characters, and
when it is already near-certain that a reply of ten words or more is Italian
or English, the full-accuracy pair detector is not asked again (on the 1,800
replies of the corpora and the benchmark the decision was the same in every
case, at a third of the cost).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

SUPPORTED = ("it", "en")
_OTHERS = ("es", "fr", "de", "pt", "nl", "ms", "id")
_MIN_WORDS_FOR_OTHER = 3
_MIN_CONFIDENCE_FOR_OTHER = 0.5

_detectors: dict[str, object] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Detection:
    language: str  # ISO 639-1 code of the most likely language
    supported: bool
    confidence: float  # lingua's; 1.0 when the reply's function words settled it (`_settled`)


def _detector(kind: str):  # type: ignore[no-untyped-def]
    """`pair`: Italian vs English, full accuracy (short replies need it).
    `wide`: nine languages, low-accuracy mode — only asked whether a reply of
    several words is in another language, where trigrams suffice; it loads in
    a tenth of the time, which matters for a command-line cold start."""
    detector = _detectors.get(kind)
    if detector is None:
        with _lock:
            detector = _detectors.get(kind)
            if detector is None:
                from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

                codes = SUPPORTED if kind == "pair" else SUPPORTED + _OTHERS
                languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
                builder = LanguageDetectorBuilder.from_languages(*languages)
                if kind == "wide":
                    builder = builder.with_low_accuracy_mode()
                detector = _detectors[kind] = builder.build()
    return detector


# Words that are Italian or English and no word of the other languages asked about
# (Spanish, French, German, Portuguese, Dutch, Malay, Indonesian). On a reply of a few words lingua may see
# French in "Non dipende da noi." or German in "Boh, non saprei."; one of these
# words settles that the reply is one of ours, and the pair detector picks which.
_ITALIAN_WORDS = frozenset(
    "noi voi dipende saprei boh grazie perché però anche questo questa quello quella sono siamo "
    "della dello degli delle nella nello nelle negli nel gli già più ancora sempre niente nulla "
    "arrangiati arrangiatevi ciao buongiorno buonasera salve gentile cordiali saluti scusa scusi "
    "ci abbiamo avete hanno è risolto risolta corretto corretta aggiunto eseguito rilasciato rimanda".split()
)
_ENGLISH_WORDS = frozenset(
    "the and with you your we our this that please thanks thank it is are deal sorry can't don't "
    "will won't have has of what which there here let by".split()
)
_SHORT = 8  # words: below this, a reply holding one of those words is never called another language
_MEDIUM = 25


def _ours(sample: str, words: int) -> bool:
    """True when a reply is plainly one of ours by its function words: one of them in a short reply,
    two different ones in a reply of up to _MEDIUM words (product names in German or Portuguese
    quoted in an English chat turn tipped lingua over)."""
    found = {w.strip(".,;:!?¿¡«»\"'()").lower() for w in sample.split()}
    ours = len(found & _ITALIAN_WORDS) + len(found & _ENGLISH_WORDS)
    return (words < _SHORT and ours >= 1) or (words <= _MEDIUM and ours >= 2)


# Links, addresses, handles, hashtags and agent initials carry no language: "https://t.co/…"
# made lingua call a two-line English tweet Portuguese.
_NOISE = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+|[@#]\w+|(?<!\w)[\^/]\s?[A-Z]{1,3}\b"
    r"|\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b"  # commit hashes
)

# Function words (and a few helpdesk words) for the fast path (`_settled`). No Italian or English word
# here is an everyday word of another language asked about: "il", "non", "di", "la", "un", "con", "se" (French, Spanish, Malay…) and
# "is", "we", "of", "was", "will", "so" (Dutch, German…) are left out on purpose. The other languages'
# lists only need to catch a reply in them: one of their words and the fast path stands aside. Words of
# the other lists that are also Italian or English words ("del", "una", "die", "te", "di") are in none.
_FAST_ITALIAN = (
    "che per è sono siamo abbiamo avete hanno ho questo questa questi queste quello quella quelli anche più già "
    "molto grazie perché però poiché ci gli della dello dei degli delle nel nella nello nei negli nelle alla allo "
    "agli dal dalla dai dalle dallo sul sulla sui sulle sullo tra fra dopo ogni tutto tutti tutta tutte nostro "
    "nostra nostri nostre vostro vostra vostri vostre suo suoi loro mio tuo ecco ciao buongiorno buonasera gentile "
    "cordiali saluti essere stato stata stati fatto può puoi possiamo potete dovrebbe potrebbe qualche ancora "
    "subito appena purtroppo dispiace scusa scusi scusiamo prego saremo sarà verrà tramite cui quale quali nessun "
    "nessuna niente nulla sia dunque quindi ricevuto inviato verificato risolto ordine rimborso richiesta giorni "
    "abbia vengono devono saranno stiamo risulta risultano seguente seguenti inoltre infatti oppure mentre senza "
    "stesso stessa stessi qualsiasi ovvero nuovo nuova nuovi nuove buona prossimo prossima prossimi segnalazione "
    "utente corretto corretta indicato indicata indicati richiesto richiesti verificare disponibile disponibili "
    "sarebbe vorrei "
    "dell' nell' all' dall' sull' un' quest' anch' dev' c'è po'"  # elisions: the word before the apostrophe
)
_FAST_ENGLISH = (
    "the and you your yours to for it this that with have has be been are our ours please thanks thank can would "
    "could should let us my if at but from what which there here they them their were about any just know get "
    "sorry hi hello all out up how who why these those than then into some sure soon glad happy hear send "
    "issue help not by she his its one able sent receive received further assist apologize apologise "
    "inconvenience did does love great today welcome yes awesome made make like now day time way look looking "
    "forward back take more only well good new when where "
    "don't i'm we're you're it's we'll we've i'll i've can't won't didn't doesn't isn't aren't you'll that's "
    "there's let's"
)
_FAST_OTHER = (
    # es
    "el los las que por para es está esta están estamos muy pero gracias hola usted ustedes sus como también más "
    "hay puedes puede podemos nuestro nuestra nuestros y ayudarte ayudar mensaje saludos disculpa disculpe "
    "lamentamos sentimos hacer tienes cuando donde estar ser eso esto este esa ese bien cualquier información tus "
    "contigo envíanos escríbenos mismo hemos cuenta día "
    # fr
    "les des du est et vous nous je pas pour avec une dans sur cette ces merci bonjour votre vos notre sont sommes "
    "avons avez être fait ou au aux très qu' j' n' s' c'est elle à en "
    # de
    "der das und ist nicht mit sie wir ich ein eine einen auf für zu den dem bitte danke uns ihr ihre ihnen haben "
    "hat wird werden sind kann können gerne vielen dank hallo auch oder aber noch wenn bei von nach gibt "
    # pt
    "não uma com os em na você vocês obrigado obrigada olá pelo pela seu muito são isso isto nosso nossa "
    "seus pode tem ter foi até ao aos já também mais "
    # nl
    "de het een jij jullie uw ons bedankt graag kunnen kun kunt hebben heb heeft wordt worden naar op ook maar "
    "als bij om dit deze hoi groet groeten niet voor dat zijn wij "
    # ms, id
    "yang dan ini itu untuk dengan kami anda kamu boleh sila terima kasih maaf ada tidak tak akan dari ke pada "
    "kita saya atau juga sudah telah bisa dapat mohon silakan harap encik cik puan tuan hubungi melalui nombor "
    "nomor dalam lagi jika kalau apa bagi oleh sebarang kak terus sebentar"
)
_FUNCTION_WORDS: dict[str, str] = {
    **dict.fromkeys(_FAST_ITALIAN.split(), "it"),
    **dict.fromkeys(_FAST_ENGLISH.split(), "en"),
    **dict.fromkeys(_FAST_OTHER.split(), ""),
}
_FAST_MIN_WORDS = 6  # "Grazie mille, a presto!" is lingua's
_FAST_MIN_DISTINCT = 3  # different function words of the one language
_EDGES = ".,;:!?¿¡«»\"“”„()[]{}<>*_~…-–—/|"


def _settled(sample: str, words: int) -> str | None:
    """"it" or "en" when the function words leave no doubt, else None (lingua decides).

    No doubt: at least `_FAST_MIN_WORDS` words, at least `_FAST_MIN_DISTINCT` different
    function words of the one language, and not one of the other or of a third language.
    """
    if words < _FAST_MIN_WORDS:
        return None
    found: set[str] = set()
    language = ""
    lookup = _FUNCTION_WORDS.get
    for token in sample.lower().replace("’", "'").split():
        token = token.strip(_EDGES)
        kind = lookup(token)
        if kind is None:
            cut = token.find("'", 1)
            if cut < 0:
                continue
            token = token[: cut + 1]  # "dell'ordine" → "dell'", "qu'il" → "qu'"
            kind = lookup(token)
            if kind is None:
                continue
        if not kind or (language and kind != language):
            return None  # a third language's word, or both of ours: lingua's call
        language = kind
        found.add(token)
    return language if len(found) >= _FAST_MIN_DISTINCT else None


_SAMPLE_CHARS = 400
_WIDE_SAMPLE_CHARS = 200  # enough trigrams to tell Spanish from Italian
_SURE, _MIN_WORDS_FOR_SURE = 0.95, 10  # the wide detector's answer stands: no second opinion


def _scores(kind: str, sample: str) -> dict[str, float]:
    values = _detector(kind).compute_language_confidence_values(sample)
    return {v.language.iso_code_639_1.name.lower(): v.value for v in values}


def _sample(text: str) -> str:
    """The part of `text` that detection reads: the first characters, links and handles left out."""
    sample = text[: _SAMPLE_CHARS * 2]
    sample = _NOISE.sub(" ", sample)
    return sample[:_SAMPLE_CHARS]


def detect(text: str) -> Detection:
    """Most likely language of `text` (the agent's own words, quotes removed).

    Only the first few hundred characters are looked at: a reply does not
    change language halfway, and detection cost grows with length. A reply
    whose function words leave no doubt is settled without lingua.
    """
    sample = _sample(text)
    words = len(sample.split())
    settled = _settled(sample, words)
    if settled is not None:
        return Detection(settled, True, 1.0)
    return _by_lingua(sample, words)


def _by_lingua(sample: str, words: int) -> Detection:
    """`detect` without the function-word fast path (`sample` already cut and cleaned)."""
    if words >= _MIN_WORDS_FOR_OTHER and not _ours(sample, words):
        wide = _scores("wide", sample[:_WIDE_SAMPLE_CHARS])
        best = max(wide, key=wide.__getitem__) if wide else "en"
        if best not in SUPPORTED and wide[best] >= _MIN_CONFIDENCE_FOR_OTHER:
            return Detection(best, False, wide[best])
        if best in SUPPORTED and wide[best] >= _SURE and words >= _MIN_WORDS_FOR_SURE:
            return Detection(best, True, wide[best])
    pair = _scores("pair", sample)
    it, en = pair.get("it", 0.0), pair.get("en", 0.0)
    return Detection("it" if it > en else "en", True, max(it, en))


# Short and long, in both languages: between them they make each detector load every
# language model it uses.
_WARM_UP_SAMPLES = (
    "Grazie!", "Thanks!", "Va bene, grazie mille", "Sounds good, thank you",
    "Buongiorno, il suo ordine è partito ieri e arriverà domani in giornata, grazie ancora.",
    "Hello, your order left our warehouse yesterday and should arrive tomorrow, thanks again.",
)


def warm_up() -> None:
    """Build the detectors and load their language models now (servers call this before
    reporting ready). lingua loads a model the first time it needs it: without this, the
    first replies after start-up took 70-400 ms more."""
    for sample in _WARM_UP_SAMPLES:
        # Both detectors on every sample: `detect` itself may settle a sample by its words alone.
        _scores("wide", sample)
        _scores("pair", sample)
        detect(sample)
