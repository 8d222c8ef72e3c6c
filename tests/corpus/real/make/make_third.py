"""For each batch labelled by both A and B: write third/<batch>.jsonl with the disputed replies."""
import json, sys
from pathlib import Path
HERE = Path(__file__).parent
CATS = ["negative", "promise", "structure", "tone", "deflection", "latte"]
STEPS = ["listen", "acknowledge", "action", "thank", "explain"]

def disputed(a, b):
    out = []
    if a["complaint"] != b["complaint"]: out.append("complaint")
    out += [f"expect:{c}" for c in CATS if (c in a["expect"]) != (c in b["expect"])]
    out += [f"latte_steps:{s}" for s in STEPS if (s in a["latte_steps"]) != (s in b["latte_steps"])]
    if a["level"] != b["level"]: out.append("level")
    if a["channel"] != b["channel"]: out.append("channel")
    return out

for batch in sys.argv[1:]:
    items = {json.loads(l)["id"]: json.loads(l) for l in open(HERE / "batches" / f"{batch}.jsonl")}
    a = [json.loads(l) for l in open(HERE / "labels/a" / f"{batch}.jsonl")]
    b = [json.loads(l) for l in open(HERE / "labels/b" / f"{batch}.jsonl")]
    assert [x["id"] for x in a] == [x["id"] for x in b] == list(items), batch
    rows = []
    for x, y in zip(a, b):
        d = disputed(x, y)
        if d:
            strip = lambda l: {k: l[k] for k in ("channel", "complaint", "expect", "latte_steps", "level", "note")}
            rows.append({**items[x["id"]], "a": strip(x), "b": strip(y), "disputed": d})
    (HERE / "third" / f"{batch}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(batch, len(rows), "disputed of", len(a))
