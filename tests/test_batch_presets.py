"""Helpdesk presets against message-by-message fixtures in each helpdesk's API field names
(tests/data/batch): every agent reply is found, customer messages are told apart where the
shape says who wrote them, and id, date, agent and channel are where the preset looks."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from replylint.batch.columns import ROLES, Columns, Preset, lookup, pick
from replylint.batch.presets import PRESETS, is_agent_reply

DATA = Path(__file__).parent / "data" / "batch"

# Per preset: the row ids the fixtures hold, and what the rows' own fields say about who wrote them
# (True: an agent, False: the customer, None: the shape does not say).
EXPECTED: dict[str, dict[str, bool | None]] = {
    "zendesk": {
        "37100000101": None,  # the requester's email: a comment names its author by id only
        "37100000121": None, "37100000141": None,
        "37100000161": True,  # internal note (public: false)
        "37100000181": None, "37100000201": None, "37100000221": None, "37100000241": None,
    },
    "freshdesk": {
        "61000200001": False, "61000200002": True, "61000200003": True, "61000200004": True,
        "61000200005": False, "61000200006": True, "61000200007": True, "61000200008": True,
    },
    "helpscout": {
        "2900100001": False, "2900100002": True, "2900100003": True, "2900100004": True,
        "2900100005": False,  # a chat thread the customer created
        "2900100006": True, "2900100007": True, "2900100008": True,
    },
    "gorgias": {
        "182000001": False, "182000002": True, "182000003": True, "182000004": True,
        "182000005": False, "182000006": True, "182000007": True, "182000008": True,
    },
}

# Ground truth: the rows a customer wrote, whether or not the shape can say so.
WRITTEN_BY_CUSTOMER = {
    "zendesk": {"37100000101", "37100000181"},
    "freshdesk": {"61000200001", "61000200005"},
    "helpscout": {"2900100001", "2900100005"},
    "gorgias": {"182000001", "182000005"},
}

# The reply that is HTML in each fixture (its text must come from a field the preset marks as HTML).
HTML_ROW = {"zendesk": "37100000121", "freshdesk": "61000200002", "helpscout": "2900100002", "gorgias": "182000002"}

# Roles whose field each shape carries on every row (ticket: the conversation id, where the object has it).
FILLED = {
    "zendesk": {"agent", "channel"},
    "freshdesk": {"agent", "ticket"},
    "helpscout": {"agent", "channel"},
    "gorgias": {"agent", "channel", "ticket"},
}


def _rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _fixtures() -> list[tuple[str, Path]]:
    return [(name, DATA / f"{name}{suffix}") for name in PRESETS for suffix in (".jsonl", ".csv")]


FIXTURES = pytest.mark.parametrize(("name", "path"), _fixtures(), ids=lambda v: getattr(v, "name", v))


def _id(preset: Preset, row: dict[str, Any]) -> str:
    _, value = pick(row, preset.columns.id)
    assert value is not None, f"no id in {row}"
    return str(value)


def test_the_four_presets_are_named_and_sourced():
    assert set(PRESETS) == {"zendesk", "freshdesk", "helpscout", "gorgias"}
    for name, preset in PRESETS.items():
        assert isinstance(preset, Preset) and preset.name == name
        assert preset.title and "https://" in preset.source
        assert preset.columns.text, name
        # An HTML field is only meaningful if it is one the reply can be taken from.
        assert set(preset.columns.html) <= set(preset.columns.text), name


def test_presets_do_not_fall_back_to_generic_candidates():
    generic = Columns()
    for name, preset in PRESETS.items():
        # The per-message objects never carry the customer's message: an empty role, not the
        # generic "customer" (which is a Person object in a Help Scout thread).
        assert preset.columns.customer == (), name
        assert preset.columns.text != generic.text, name


@FIXTURES
def test_fixture_holds_the_expected_rows(name: str, path: Path):
    preset = PRESETS[name]
    rows = _rows(path)
    assert 6 <= len(rows) <= 10
    assert [_id(preset, row) for row in rows] == list(EXPECTED[name])


@FIXTURES
def test_every_agent_row_has_a_reply(name: str, path: Path):
    preset = PRESETS[name]
    for row in _rows(path):
        if is_agent_reply(name, row) is False:
            continue
        field, value = pick(row, preset.columns.text)
        assert field is not None and isinstance(value, str) and value.strip(), (name, _id(preset, row))
        # The first candidate present wins: a row with an HTML body is read from it.
        first = next(c for c in preset.columns.text if lookup(row, c) not in (None, ""))
        assert field == first


@FIXTURES
def test_html_reply_is_taken_from_an_html_field(name: str, path: Path):
    preset = PRESETS[name]
    row = next(r for r in _rows(path) if _id(preset, r) == HTML_ROW[name])
    field, value = pick(row, preset.columns.text)
    assert field in preset.columns.html
    assert "<" in value and ">" in value


@FIXTURES
def test_id_and_date_on_every_row(name: str, path: Path):
    preset = PRESETS[name]
    weeks = set()
    for row in _rows(path):
        _id(preset, row)
        field, value = pick(row, preset.columns.date)
        assert field is not None, (name, row)
        when = datetime.fromisoformat(str(value))
        weeks.add(when.isocalendar()[:2])
    assert len(weeks) >= 2


@FIXTURES
def test_is_agent_reply_separates_customer_rows(name: str, path: Path):
    preset = PRESETS[name]
    said = {_id(preset, row): is_agent_reply(name, row) for row in _rows(path)}
    assert said == EXPECTED[name]
    # Whatever the shape says agrees with who really wrote the row.
    for row_id, agent in said.items():
        if agent is not None:
            assert agent is (row_id not in WRITTEN_BY_CUSTOMER[name]), row_id


@FIXTURES
def test_agent_channel_and_ticket_where_the_shape_has_them(name: str, path: Path):
    preset = PRESETS[name]
    rows = _rows(path)
    for role in FILLED[name]:
        candidates = getattr(preset.columns, role)
        for row in rows:
            field, value = pick(row, candidates)
            assert field is not None and str(value).strip(), (name, role, _id(preset, row))
    for role in {"agent", "channel", "ticket"} - FILLED[name]:
        assert all(pick(row, getattr(preset.columns, role)) == (None, None) for row in rows), (name, role)
    agents = {str(pick(row, preset.columns.agent)[1]) for row in rows
              if _id(preset, row) not in WRITTEN_BY_CUSTOMER[name]}
    assert 2 <= len(agents) <= 3, agents


@FIXTURES
def test_no_customer_message_is_read_from_a_row(name: str, path: Path):
    preset = PRESETS[name]
    for row in _rows(path):
        assert pick(row, preset.columns.customer) == (None, None)
        assert pick(row, preset.columns.lang) == (None, None)


def test_every_role_is_a_tuple_of_names():
    for preset in PRESETS.values():
        for role in ROLES:
            candidates = getattr(preset.columns, role)
            assert isinstance(candidates, tuple) and all(isinstance(c, str) and c for c in candidates)


@pytest.mark.parametrize(
    ("name", "row", "expected"),
    [
        ("gorgias", {"from_agent": True}, True),
        ("gorgias", {"from_agent": False}, False),
        ("gorgias", {"from_agent": "false"}, False),
        ("gorgias", {"from_agent": ""}, None),
        ("gorgias", {"body_text": "hi"}, None),
        ("freshdesk", {"incoming": True, "private": False}, False),
        ("freshdesk", {"incoming": "FALSE"}, True),
        ("freshdesk", {"private": "true"}, True),
        ("freshdesk", {"body": "<p>x</p>"}, None),
        ("helpscout", {"type": "customer", "createdBy": {"type": "user"}}, False),  # typed in by an agent for the customer
        ("helpscout", {"type": "reply"}, True),
        ("helpscout", {"type": "phone", "createdBy": {"type": "customer"}}, False),
        ("helpscout", {"type": "chat", "created_by": {"type": "user"}}, True),
        ("helpscout", {"type": "chat", "source": {"via": "customer"}}, False),
        ("helpscout", {"type": "lineitem"}, None),
        ("zendesk", {"author_id": 7, "public": True}, None),
        ("zendesk", {"author_id": 7, "requester_id": 7, "public": True}, False),
        ("zendesk", {"author_id": "7", "ticket": {"requester_id": 7}}, False),
        ("zendesk", {"author_id": 8, "requester_id": 7, "public": True}, None),  # maybe a CC'd end user
        ("zendesk", {"author_id": 8, "public": "false"}, True),
        ("zendesk", {"author": {"role": "end-user"}, "public": True}, False),
        ("zendesk", {"author": {"role": "admin"}}, True),
    ],
)
def test_is_agent_reply_rules(name: str, row: dict[str, Any], expected: bool | None):
    assert is_agent_reply(name, row) is expected


def test_is_agent_reply_rejects_an_unknown_preset():
    with pytest.raises(ValueError, match="intercom"):
        is_agent_reply("intercom", {"from_agent": True})
