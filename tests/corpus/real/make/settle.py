"""Gather the labellers' raw sets and the third reads into the corpus's label files.

    python tests/corpus/real/make/settle.py WORK_DIR

WORK_DIR holds `labels/a/<batch>.jsonl`, `labels/b/<batch>.jsonl` (the two
independent labellers, blind to each other) and `third/<batch>.settled.jsonl`
(the third reader's decision on every reply where they disagreed). Writes,
under `tests/corpus/real/labels/`:

- `labeller_a.jsonl`, `labeller_b.jsonl` — the raw sets, untouched;
- `third_read.jsonl` — the third reader's labels, with the fields that were disputed;
- `settled.jsonl` — the labels the measure uses: where A and B agree on every
  field, theirs (A's note); otherwise the third read.

Only replies of `replies.jsonl` are kept, in its order.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REAL = Path(__file__).resolve().parents[1]
FIELDS = ("channel", "complaint", "expect", "latte_steps", "level")
CATEGORIES = ("negative", "promise", "structure", "tone", "deflection", "latte")
STEPS = ("listen", "acknowledge", "action", "thank", "explain")


def read(paths: list[Path]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out[row["id"]] = row
    return out


def canonical(label: dict) -> tuple:
    """The fields that must agree, in an order-free form."""
    return (label["channel"], bool(label["complaint"]), tuple(sorted(set(label["expect"]))),
            tuple(sorted(set(label["latte_steps"]))), int(label["level"]))


def clean(label: dict) -> dict:
    out = {"id": label["id"], "channel": label["channel"], "complaint": bool(label["complaint"]),
           "expect": [c for c in CATEGORIES if c in label["expect"]],
           "latte_steps": [s for s in STEPS if s in label["latte_steps"]] if label["complaint"] else [],
           "level": int(label["level"]), "note": label.get("note", "")}
    return out


def main(argv: list[str]) -> int:
    work = Path(argv[0])
    ids = [json.loads(line)["id"] for line in (REAL / "replies.jsonl").read_text(encoding="utf-8").splitlines()
           if line.strip()]
    a = read(sorted((work / "labels" / "a").glob("*.jsonl")))
    b = read(sorted((work / "labels" / "b").glob("*.jsonl")))
    third = read(sorted((work / "third").glob("*.settled.jsonl")))
    missing = [i for i in ids if i not in a or i not in b]
    if missing:
        print(f"{len(missing)} replies lack a label from A or B, e.g. {missing[:5]}", file=sys.stderr)
        return 1
    settled, third_rows, unsettled = [], [], []
    for reply_id in ids:
        x, y = a[reply_id], b[reply_id]
        if canonical(x) == canonical(y):
            settled.append(clean(x))
            continue
        if reply_id not in third:
            unsettled.append(reply_id)
            continue
        decided = clean(third[reply_id])
        disputed = [f for f in FIELDS if canonical(x)[FIELDS.index(f)] != canonical(y)[FIELDS.index(f)]]
        third_rows.append({**decided, "disputed": disputed})
        settled.append(decided)
    if unsettled:
        print(f"{len(unsettled)} disagreements have no third read, e.g. {unsettled[:5]}", file=sys.stderr)
        return 1
    out = REAL / "labels"
    out.mkdir(exist_ok=True)

    def write(name: str, rows: list[dict]) -> None:
        (out / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")

    write("labeller_a.jsonl", [a[i] for i in ids])
    write("labeller_b.jsonl", [b[i] for i in ids])
    write("third_read.jsonl", third_rows)
    write("settled.jsonl", settled)
    print(f"{len(ids)} replies: {len(ids) - len(third_rows)} agreed, {len(third_rows)} settled by the third read")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
