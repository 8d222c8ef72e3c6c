"""The real-reply corpus keeps its promises: sizes, sources, splits, labels by two, no held-out overlap."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from replylint.evaluation.real import DEFAULT_ROOT, GUIDE_CATEGORIES, load_labels, load_real, load_replies

ROOT = DEFAULT_ROOT
HELDOUT = Path(__file__).resolve().parents[2] / "shared" / "heldout" / "check.py"
REPLIES = load_replies(ROOT)
REAL = [r for r in REPLIES if r.origin == "real"]


def _source(reply) -> str:  # type: ignore[no-untyped-def]
    return reply.id.split("-")[0]


@pytest.mark.parametrize(("lang", "minimum"), [("en", 1500), ("it", 600)])
def test_sizes(lang: str, minimum: int) -> None:
    assert sum(r.lang == lang for r in REAL) >= minimum


@pytest.mark.parametrize("lang", ["en", "it"])
def test_several_sources_none_above_40_percent(lang: str) -> None:
    counts = Counter(_source(r) for r in REAL if r.lang == lang)
    total = sum(counts.values())
    assert len(counts) >= 3
    assert max(counts.values()) <= 0.40 * total, counts


def test_every_record_names_its_source_and_licence() -> None:
    assert len({r.id for r in REPLIES}) == len(REPLIES)
    for reply in REPLIES:
        assert reply.source and reply.licence, reply.id
        assert reply.split in ("train", "dev", "test"), reply.id


def test_only_real_replies_in_dev_and_test() -> None:
    assert all(r.origin == "real" for r in REPLIES if r.split in ("dev", "test"))


@pytest.mark.parametrize("lang", ["en", "it"])
def test_test_split_has_a_source_train_never_saw(lang: str) -> None:
    train = {_source(r) for r in REAL if r.lang == lang and r.split == "train"}
    test = {_source(r) for r in REAL if r.lang == lang and r.split == "test"}
    assert test - train, (train, test)


def test_no_template_or_thread_spans_two_splits() -> None:
    assemble = _assemble_module()
    by_group: dict[str, set[str]] = {}
    by_template: dict[tuple[str, str], set[str]] = {}
    for reply in REAL:
        record = reply.model_dump()
        by_group.setdefault(assemble.group_of(record), set()).add(reply.split)
        by_template.setdefault((reply.lang, assemble.template_key(reply.reply)), set()).add(reply.split)
    assert all(len(splits) == 1 for splits in by_group.values())
    assert all(len(splits) == 1 for splits in by_template.values())


def _assemble_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("assemble", ROOT / "make" / "assemble.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.mark.parametrize("name", ["labeller_a", "labeller_b", "settled"])
def test_every_real_reply_has_each_label_set(name: str) -> None:
    labels = load_labels(ROOT / "labels" / f"{name}.jsonl")
    assert {r.id for r in REAL} <= set(labels)
    for reply in REAL:
        label = labels[reply.id]
        assert set(label.expect) <= set(GUIDE_CATEGORIES)
        assert label.complaint or not label.latte_steps, reply.id


def test_settled_labels_take_an_answer_given_by_a_labeller_or_the_third_read() -> None:
    """Where the two agree, the settled label is theirs; every disagreement has a third read on record."""
    a = load_labels(ROOT / "labels" / "labeller_a.jsonl")
    b = load_labels(ROOT / "labels" / "labeller_b.jsonl")
    settled = load_labels(ROOT / "labels" / "settled.jsonl")
    third = {row["id"] for row in map(json.loads, (ROOT / "labels" / "third_read.jsonl").read_text().splitlines())}
    for reply in REAL:
        x, y, s = a[reply.id], b[reply.id], settled[reply.id]
        same = (x.complaint, sorted(x.expect), sorted(x.latte_steps), x.level) == \
            (y.complaint, sorted(y.expect), sorted(y.latte_steps), y.level)
        if same:
            assert (s.complaint, sorted(s.expect), sorted(s.latte_steps), s.level) == \
                (x.complaint, sorted(x.expect), sorted(x.latte_steps), x.level), reply.id
        else:
            assert reply.id in third, reply.id


def test_dev_and_test_splits_are_usable() -> None:
    for lang in ("en", "it"):
        for split in ("dev", "test"):
            assert len(load_real(ROOT, lang=lang, split=split)) >= 100, (lang, split)


@pytest.mark.skipif(not HELDOUT.is_file(), reason="the held-out fingerprints live beside the repository (../shared)")
def test_no_reply_overlaps_the_held_out_set() -> None:
    spec = importlib.util.spec_from_file_location("heldout_check", HELDOUT)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    assert not [r.id for r in REPLIES if module.overlaps(r.reply)]


@pytest.mark.parametrize("lang", ["en", "it"])
def test_real_replies_are_detected_as_their_language(lang: str) -> None:
    """Issue #12: at least 99.5% of the real Italian and English replies are detected as such."""
    from replylint.text import language
    from replylint.text.prepare import prepare

    replies = [r for r in REAL if r.lang == lang]
    right = sum(language.detect(prepare(r.reply).own_text).language == lang for r in replies)
    assert right / len(replies) >= 0.995, f"{right}/{len(replies)}"
