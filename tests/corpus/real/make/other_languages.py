"""The replies in other languages that the corpus sources hold, and what replylint makes of them.

    python tests/corpus/real/make/other_languages.py   (needs the Sophie-X31 mirror, as its extractor)

Only the Twitter source (`sources/twitter_sophie_extract.py`) holds agent replies in languages other
than English and Italian (every other source's notes say none, or three English replies in an Italian
tracker). This script walks that source exactly as its extractor does, up to the language filter,
keeps the replies its lingua check put in another language, and asks replylint (no `lang`) for each:
a reply in Spanish, French, German or Portuguese should be reported unsupported, not checked as
Italian or English. Prints counts per language only; no reply text.
"""

from __future__ import annotations

import csv
import io
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "sources"))
sys.path.insert(0, str(HERE.parents[3]))

import twitter_sophie_extract as source  # noqa: E402

import replylint  # noqa: E402


def other_language_replies() -> list[tuple[str, str]]:
    """(lingua's language, reply) for the source's agent replies it put outside English and Italian."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for path, _brand in source.FILES:
        text = source.git_show(source.GIT, source.COMMIT, path).decode("utf-8-sig")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            raw = row["text"]
            if row["inbound"] != "FALSE" or row["author_id"] != path[:-4]:
                continue
            if not row["in_response_to_tweet_id"].strip() or not raw.lstrip().startswith("@"):
                continue
            reply = source.repair(raw)
            key = " ".join(reply.split())
            if key in seen or len(source.WORD.findall(source.core(reply))) < 3:
                continue
            seen.add(key)
            lang, _ = source.lang_of(reply)
            if lang not in ("en", "it"):
                found.append((lang, reply))
    return found


def main() -> int:
    verdicts: dict[str, Counter[str]] = defaultdict(Counter)
    for lang, reply in other_language_replies():
        report = replylint.check(reply, channel="social")
        verdict = "unsupported" if report.language is None else f"checked as {report.language}"
        verdicts[lang][verdict] += 1
    for lang in sorted(verdicts):
        total = sum(verdicts[lang].values())
        print(f"{lang}: {total} replies; " + ", ".join(f"{v} {n}" for v, n in verdicts[lang].most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
