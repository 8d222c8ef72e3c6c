"""Rebuild the shipped detectors from the labelled real corpus: `python -m replylint.learned.train`.

    python -m replylint.learned.train [--corpus tests/corpus/real] [--out replylint/learned/models]
                                      [--seed 13] [--epochs 12] [--lang it|en]

Per language: a spaCy `textcat_multilabel` with the bag-of-words
architecture (unigrams and bigrams, hashed) learns the review guide's
categories from the `train` split (real replies, plus any translated or
written replies kept apart as training-only data). Each label's threshold
is the lowest score from which precision on the `dev` split stays at least
0.90 at every higher score (ignoring scores that flag fewer than five
replies); a label that never gets there has no threshold and does not fire.
The `test` split is never read. The same corpus and seed give the same
model, byte for byte, in about ten seconds for both languages on two cores.

Why bag-of-words: on a few hundred labelled replies a linear model over
word n-grams learns as much as the CNN ensemble (measured in the closing
note of the issue that added it), is 1–3 MB, and scores a reply in about
0.2 ms, inside the check's time budget.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

from .corpus import DEFAULT_ROOT, GUIDE_CATEGORIES, RealItem, load_labels, load_replies
from .detectors import MODELS_DIR

TARGET_PRECISION = 0.90
MIN_FLAGGED = 5
HASH_LENGTH = 2**17
# The guide's categories (structure is layout: the rules see it) and whether the reply answers a complaint,
# which decides whether LATTE applies and which the customer's message alone often does not show.
LABELS: tuple[str, ...] = (*(c for c in GUIDE_CATEGORIES if c != "structure"), "complaint")
# Whether a complaint reply contains a LATTE step, for the steps whose cue lists miss most of what
# reviewers count (on train, the cues saw action in 21 of 152 Italian replies that had it, explain in
# 22 of 164; English 97 of 368 and 26 of 183): instructions, checks and next steps come in too many
# shapes. Labelled only on complaint replies; on the others the step is missing, not false.
STEP_LABELS: tuple[str, ...] = ("step_listen", "step_action", "step_explain")


def _truth(item: RealItem, label: str) -> bool:
    if label == "complaint":
        return item.labels.complaint
    if label in STEP_LABELS:
        return label.removeprefix("step_") in item.labels.latte_steps
    return label in item.labels.expect


def _cats(item: RealItem) -> dict[str, float]:
    """The gold labels of one reply; step labels only where the guide defines them (complaint replies)."""
    cats = {label: float(_truth(item, label)) for label in LABELS}
    if item.labels.complaint:
        cats.update({label: float(_truth(item, label)) for label in STEP_LABELS})
    return cats


def _items(root: Path, lang: str, splits: set[str]) -> list[RealItem]:
    labels = load_labels(root / "labels" / "settled.jsonl")
    extra = root / "extra" / "labels.jsonl"
    if extra.is_file():
        labels.update(load_labels(extra))
    replies = load_replies(root)
    if (root / "extra" / "replies.jsonl").is_file():
        replies += load_replies(root / "extra")
    return [RealItem(r, labels[r.id]) for r in replies
            if r.lang == lang and r.split in splits and r.id in labels
            and (r.origin == "real" or r.split == "train")]


def build(lang: str, train: list[RealItem], seed: int, epochs: int):  # type: ignore[no-untyped-def]
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = spacy.blank(lang)
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
        "no_output_layer": False, "length": HASH_LENGTH,
    }})
    for label in (*LABELS, *STEP_LABELS):
        textcat.add_label(label)
    # A label absent from an example's cats is a missing value: spaCy leaves it out of the loss.
    examples = [Example.from_dict(nlp.make_doc(item.reply.reply), {"cats": _cats(item)}) for item in train]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, drop=0.2, sgd=optimizer)
    return nlp


def choose_threshold(scores: list[float], truth: list[bool]) -> dict[str, object]:
    """The lowest threshold from which dev precision stays ≥ TARGET_PRECISION at every higher one.

    Not merely the lowest threshold that reaches the target: on a few hundred
    dev replies precision zigzags, and a threshold sitting on a lucky peak
    falls under the target as soon as anything else moves (the learned LATTE
    rule, picked that way, measured 0.87 as a rule). Higher thresholds that
    flag fewer than MIN_FLAGGED replies are too few to judge and are skipped.
    """
    best: dict[str, object] = {"threshold": None, "dev_precision": None, "dev_recall": None,
                               "dev_support": sum(truth), "dev_flagged": 0}
    for threshold in sorted(set(scores), reverse=True):
        flagged = [t for s, t in zip(scores, truth) if s >= threshold]
        if len(flagged) < MIN_FLAGGED:
            continue
        precision = sum(flagged) / len(flagged)
        if precision < TARGET_PRECISION:
            break
        recall = sum(flagged) / sum(truth) if sum(truth) else None
        best = {"threshold": round(float(threshold), 6), "dev_precision": round(precision, 4),
                "dev_recall": None if recall is None else round(recall, 4),
                "dev_support": sum(truth), "dev_flagged": len(flagged)}
    return best


def train_language(root: Path, out: Path, lang: str, seed: int, epochs: int) -> dict[str, object]:
    train = _items(root, lang, {"train"})
    dev = [i for i in _items(root, lang, {"dev"}) if i.reply.origin == "real"]
    if not train or not dev:
        raise SystemExit(f"no {'train' if not train else 'dev'} replies for {lang} in {root}")
    nlp = build(lang, train, seed, epochs)
    dev_scores = [doc.cats for doc in nlp.pipe(i.reply.reply for i in dev)]
    labels = {
        label: choose_threshold([s[label] for s in dev_scores], [_truth(i, label) for i in dev])
        for label in LABELS
    }
    complaints = [(i, s) for i, s in zip(dev, dev_scores) if i.labels.complaint]
    labels.update({
        label: choose_threshold([s[label] for _, s in complaints], [_truth(i, label) for i, _ in complaints])
        for label in STEP_LABELS
    })
    target = out / lang
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    nlp.to_disk(target / "model")
    digest = hashlib.sha1()
    for item in train:
        digest.update(f"{item.reply.id}\0{item.reply.reply}\0{sorted(item.labels.expect)}\n".encode())
    meta = {
        "lang": lang,
        "architecture": "spacy.TextCatBOW.v3 (unigrams+bigrams, hashed)",
        "trained_on": {
            "split": "train", "replies": len(train),
            "by_origin": {o: sum(i.reply.origin == o for i in train) for o in ("real", "translated", "written")},
            "sha1": digest.hexdigest(),
        },
        "thresholds_on": {"split": "dev", "replies": len(dev), "target_precision": TARGET_PRECISION},
        "seed": seed, "epochs": epochs,
        "labels": labels,
    }
    (target / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--out", type=Path, default=MODELS_DIR)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--lang", choices=("it", "en"), action="append")
    args = parser.parse_args(argv)
    if not (args.corpus / "replies.jsonl").is_file():
        print(f"train: no corpus at {args.corpus}", file=sys.stderr)
        return 2
    for lang in args.lang or ["it", "en"]:
        meta = train_language(args.corpus, args.out, lang, args.seed, args.epochs)
        print(f"{lang}: {meta['trained_on']['replies']} train replies, thresholds on {meta['thresholds_on']['replies']} dev")
        for label, values in meta["labels"].items():  # type: ignore[union-attr]
            print(f"  {label:<11} threshold {values['threshold']}  dev precision {values['dev_precision']} "
                  f"recall {values['dev_recall']} ({values['dev_flagged']} flagged / {values['dev_support']} labelled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
