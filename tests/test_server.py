"""The HTTP pre-send hook in process: endpoints, policy, HTML mapping, errors, security, metrics, logs."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import replylint.service.server as server_module
from replylint import Config, Severity
from replylint.service.adapters import AdapterError, adapt
from replylint.text.html import html_to_text
from replylint.models import Finding, Report, Span
from replylint.analysis.policy import Policy
from replylint.service.server import create_app

FIXTURES = Path(__file__).parent / "fixtures" / "helpdesks"
NEGATIVE_IT = (Path(__file__).parents[1] / "examples" / "it" / "reclamo-bozza-negativa.txt").read_text()
POSITIVE_EN = (Path(__file__).parents[1] / "examples" / "en" / "complaint-draft-positive.txt").read_text()
WARNING_IT = "Ciao Marco,\n\ncome già detto, il pacco arriva giovedì.\n\nUn caro saluto,\nGiulia"


def make_client(config: dict | None = None, **kwargs) -> TestClient:
    return TestClient(create_app(Config.model_validate(config or {}), **kwargs))


@pytest.fixture(scope="module")
def client():
    with make_client({"policy": {"brands": {"strict": {"min_score": 95}}, "channels": {"chat": {"warn_on_warning": False}}}}) as c:
        yield c


# -- /v1/check ---------------------------------------------------------------------------


def test_block_warn_allow(client):
    blocked = client.post("/v1/check", json={"reply": NEGATIVE_IT}).json()
    assert blocked["decision"] == "block"
    assert blocked["language"] == "it" and blocked["score"] < 40 and blocked["level"] == "unacceptable"
    reason = next(r for r in blocked["reasons"] if r["code"] == "error-finding")
    assert reason["decision"] == "block" and {"NEG121", "NEG122"} <= set(reason["codes"])
    finding = next(f for f in blocked["findings"] if f["code"] == "NEG120")
    assert NEGATIVE_IT[finding["span"]["start"] : finding["span"]["end"]] == finding["excerpt"] == "come già detto"
    assert finding["html_span"] is None and blocked["text"] is None
    assert blocked["latte"] is not None and blocked["readability"]["metric"] == "gulpease"

    warned = client.post("/v1/check", json={"reply": WARNING_IT}).json()
    assert warned["decision"] == "warn"
    assert [r["code"] for r in warned["reasons"]] == ["warning-finding"]

    allowed = client.post("/v1/check", json={"reply": POSITIVE_EN, "lang": "en"}).json()
    assert allowed == {**allowed, "decision": "allow", "reasons": [], "language": "en"}
    assert allowed["score"] >= 60 and allowed["level"] in ("average", "above_average", "stellar")


def test_policy_overrides_per_brand_and_channel_and_accept(client):
    # Per channel: chat does not warn on warnings.
    chat = client.post("/v1/check", json={"reply": WARNING_IT, "channel": "chat"}).json()
    assert chat["channel"] == "chat" and not any(r["code"] == "warning-finding" for r in chat["reasons"])
    # Per brand: "strict" blocks under 95.
    strict = client.post("/v1/check", json={"reply": WARNING_IT, "brand": "strict"}).json()
    assert strict["decision"] == "block"
    assert any(r["code"] == "score-below-minimum" for r in strict["reasons"])
    # accept: the acknowledged finding is still reported but not counted.
    warned = client.post("/v1/check", json={"reply": WARNING_IT}).json()
    codes = set(warned["reasons"][0]["codes"])
    accepted = client.post("/v1/check", json={"reply": WARNING_IT, "accept": sorted(codes)}).json()
    assert accepted["decision"] == "allow"
    assert all(f["accepted"] for f in accepted["findings"] if f["code"] in codes)


def test_html_reply_maps_spans_back_and_ignores_quoted_history(client):
    html = (
        '<div dir="ltr">Ciao Marco,<br><br>come gi&agrave; detto, <b>non possiamo</b> rimborsare &#128512; la spedizione.'
        '</div><div class="gmail_signature">Giulia</div>'
        '<div class="gmail_quote"><blockquote>Avrebbe dovuto controllare! Calmati! Non è colpa nostra.</blockquote></div>'
    )
    result = client.post("/v1/check", json={"reply": html, "format": "html"}).json()
    assert result["text"] == "Ciao Marco,\n\ncome già detto, non possiamo rimborsare 😀 la spedizione."
    codes = {f["code"] for f in result["findings"]}
    assert {"NEG120", "NEG101"} <= codes
    assert not codes & {"NEG121", "NEG122", "NEG123"}  # only in the quoted history
    for finding in result["findings"]:
        text_span, html_span = finding["span"], finding["html_span"]
        assert result["text"][text_span["start"] : text_span["end"]] == finding["excerpt"]
        assert html_span is not None
    neg120 = next(f for f in result["findings"] if f["code"] == "NEG120")
    assert html[neg120["html_span"]["start"] : neg120["html_span"]["end"]] == "come gi&agrave; detto"
    neg101 = next(f for f in result["findings"] if f["code"] == "NEG101")
    assert html[neg101["html_span"]["start"] : neg101["html_span"]["end"]].startswith("non possiamo")
    assert set(result["latte_html_evidence"]) == {"listen", "acknowledge", "take_action", "thank", "explain"}


def test_html_with_only_quoted_history_is_a_422(client):
    response = client.post("/v1/check", json={"reply": "<blockquote>non funziona!</blockquote>", "format": "html"})
    assert response.status_code == 422
    assert "no text of its own" in response.json()["detail"][0]["msg"]


def test_unsupported_language_is_not_checked_and_allowed(client):
    result = client.post("/v1/check", json={"reply": "Hola, gracias por escribirnos. Le enviamos el paquete mañana."}).json()
    assert result["language"] is None and result["score"] is None
    assert result["decision"] == "allow" and result["reasons"][0]["code"] == "not-checked"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"reply": ""}, "empty"),
        ({"reply": "   \n"}, "empty"),
        ({"reply": "Grazie\x00"}, "NUL"),
        ({"reply": 12}, "string"),
        ({"reply": "Grazie", "lang": "es"}, "lang"),
        ({"reply": "Grazie", "channel": "fax"}, "channel"),
        ({"reply": "Grazie", "format": "pdf"}, "format"),
        ({"reply": "Grazie", "unknown": 1}, "unknown"),
        ({"reply": "Grazie", "accept": "NEG120"}, "accept"),
        ({"reply": "Grazie", "agent_id": True}, "agent_id"),
        ({"text": "Grazie"}, "reply"),
        ([], "body"),
    ],
)
def test_bad_input_is_a_clear_422(client, body, needle):
    response = client.post("/v1/check", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    assert needle.lower() in json.dumps(detail).lower()
    assert all(set(d) <= {"loc", "msg", "type", "ctx"} for d in detail)  # no `input` echo


@pytest.mark.parametrize("raw", [b"{bad json", b'{"reply": "unterminated', b"\xff\xfe\x00", b""])
def test_malformed_json_is_a_422(client, raw):
    response = client.post("/v1/check", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text


def test_lone_surrogate_is_a_422(client):
    response = client.post(
        "/v1/check", content=b'{"reply": "Grazie \\ud800"}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422 and "surrogate" in response.text


def test_body_limit_is_a_413():
    with make_client({"server": {"max_body_bytes": 2000}}, warm_up=False) as c:
        big = {"reply": "Grazie mille. " * 200}
        response = c.post("/v1/check", json=big)
        assert response.status_code == 413 and "2,000 bytes" in response.json()["detail"]

        def chunks():  # no content-length: the limit is enforced while reading
            for _ in range(10):
                yield b" " * 400
        response = c.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert c.post("/v1/check", json={"reply": "Grazie mille!"}).status_code == 200


def test_reply_over_max_chars_is_a_422():
    with make_client({"max_chars": 50}, warm_up=False) as c:
        response = c.post("/v1/check", json={"reply": "Grazie mille per la pazienza. " * 5})
        assert response.status_code == 422 and "limit is 50" in response.json()["detail"][0]["msg"]


def test_timeout_is_a_504(monkeypatch):
    def slow(request, config):
        time.sleep(1.5)

    monkeypatch.setattr(server_module, "run_check", slow)
    # A reply longer than inline_max_chars goes to a worker thread, under the time limit.
    with make_client({"server": {"timeout_seconds": 0.2, "inline_max_chars": 10}}, warm_up=False) as c:
        started = time.perf_counter()
        response = c.post("/v1/check", json={"reply": "Grazie mille, a presto"})
        assert response.status_code == 504 and "0.2 s" in response.json()["detail"]
        assert time.perf_counter() - started < 1.2  # the thread was abandoned, not awaited


def test_a_batch_past_the_limit_is_a_504_on_time_and_its_thread_stops_at_once():
    """Python cannot kill the thread a 504 abandons: it stops at its next rule (`engine.deadline`)
    instead of checking the rest of the batch on a core nobody waits for."""
    reply = "Purtroppo il rimborso non arriva prima di lunedì, ci dispiace per l'attesa. " * 90  # ~6,900 chars
    settings = {"timeout_seconds": 0.5, "max_body_bytes": 4_000_000, "batch_max": 400}
    with make_client({"server": settings}, warm_up=False) as c:
        assert c.post("/v1/check", json={"reply": reply}).status_code == 200  # warm: loaded, cached
        one = time.perf_counter()
        c.post("/v1/check", json={"reply": reply})
        one = time.perf_counter() - one
        started = time.perf_counter()
        response = c.post("/v1/check/batch", json={"replies": [{"reply": reply}] * 400})
        elapsed = time.perf_counter() - started
        assert response.status_code == 504 and "0.5 s" in response.json()["detail"]
        assert elapsed < 400 * one / 2  # answered long before the batch could have finished
        cpu = time.process_time()
        time.sleep(1.0)  # the rest of the batch would take a core for seconds
        assert time.process_time() - cpu < 0.3
        assert c.post("/v1/check", json={"reply": "Grazie, il pacco arriva domani."}).status_code == 200


def test_short_replies_are_checked_inline_and_long_ones_in_a_thread(monkeypatch):
    handed_off = []
    real_run_sync = server_module.anyio.to_thread.run_sync

    async def spy(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        handed_off.append(fn)
        return await real_run_sync(fn, *args, **kwargs)

    monkeypatch.setattr(server_module.anyio.to_thread, "run_sync", spy)
    with make_client({"server": {"inline_max_chars": 200}}, warm_up=False) as c:
        handed_off.clear()
        assert c.post("/v1/check", json={"reply": "Grazie mille, il pacco arriva domani."}).status_code == 200
        assert handed_off == []
        long_reply = "Il pacco arriva domani mattina entro le dieci. " * 10
        assert c.post("/v1/check", json={"reply": long_reply}).status_code == 200
        assert len(handed_off) == 1
        # The customer's message counts towards the size too.
        assert c.post("/v1/check", json={"reply": "Grazie!", "customer": long_reply}).status_code == 200
        assert len(handed_off) == 2


def test_after_a_504_short_replies_wait_in_a_thread_not_on_the_event_loop(monkeypatch):
    """A check abandoned by its 504 goes on holding its language's pipeline lock until its next rule.
    A short reply checked inline meanwhile would wait for that lock on the event loop and stall every
    request (/healthz too) for as long: while any thread still runs a check, short replies go to a
    thread as well, and inline again once it has stopped."""
    pipeline_lock = threading.Lock()
    real_run_check = server_module.run_check

    def held(request, config):  # type: ignore[no-untyped-def]
        with pipeline_lock:  # as the engine holds a language's runtime lock
            if request.reply.startswith("LONG"):
                time.sleep(1.5)
            return real_run_check(request, config)

    handed_off = []
    real_run_sync = server_module.anyio.to_thread.run_sync

    async def spy(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        handed_off.append(fn)
        return await real_run_sync(fn, *args, **kwargs)

    monkeypatch.setattr(server_module, "run_check", held)
    monkeypatch.setattr(server_module.anyio.to_thread, "run_sync", spy)
    app = create_app(Config.model_validate({"server": {"timeout_seconds": 0.3, "inline_max_chars": 100}}), warm_up=False)
    with TestClient(app) as c:
        short = {"reply": "Grazie mille, il pacco arriva domani."}
        assert c.post("/v1/check", json=short).status_code == 200 and handed_off == []
        assert c.post("/v1/check", json={"reply": "LONG " + "Il pacco arriva domani. " * 10}).status_code == 504
        handed_off.clear()
        started = time.perf_counter()
        assert c.post("/v1/check", json=short).status_code == 504  # waited for the lock in a thread
        assert len(handed_off) == 1 and time.perf_counter() - started < 1.0
        started = time.perf_counter()
        assert c.get("/healthz").status_code == 200 and time.perf_counter() - started < 0.2
        time.sleep(1.6)  # the abandoned check ends and gives the lock back
        handed_off.clear()
        assert c.post("/v1/check", json=short).status_code == 200 and handed_off == []


# -- batch -----------------------------------------------------------------------------------


def test_batch(client):
    body = {"replies": [{"reply": NEGATIVE_IT}, {"reply": "  "}, {"reply": POSITIVE_EN}]}
    results = client.post("/v1/check/batch", json=body).json()["results"]
    assert [r["status"] for r in results] == [200, 422, 200]
    assert [r["index"] for r in results] == [0, 1, 2]
    assert results[0]["result"]["decision"] == "block" and results[2]["result"]["decision"] == "allow"
    assert "empty" in results[1]["error"] and results[1]["result"] is None


def test_batch_limit():
    with make_client({"server": {"batch_max": 2}}, warm_up=False) as c:
        response = c.post("/v1/check/batch", json={"replies": [{"reply": "Grazie"}] * 3})
        assert response.status_code == 422 and "at most 2" in response.text
        assert c.post("/v1/check/batch", json={"replies": []}).status_code == 422


# -- helpdesk payloads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "helpdesk", "expected"),
    [
        ("zendesk.json", "zendesk", {"format": "html", "channel": "email", "brand": "360000123456", "customer": True,
                                     "agent_id": 987654, "codes": {"NEG120", "NEG101"}}),
        ("freshdesk.json", "freshdesk", {"format": "html", "channel": None, "brand": None, "customer": False,
                                         "agent_id": 19000123456, "codes": {"NEG120"}}),
        ("freshdesk_webhook.json", "freshdesk", {"format": "html", "channel": "chat", "brand": None, "customer": True,
                                                 "agent_id": None, "codes": {"NEG120"}}),
        ("helpscout.json", "helpscout", {"format": "html", "channel": None, "brand": None, "customer": False,
                                         "agent_id": 77, "codes": {"NEG120"}}),
        ("helpscout_webhook.json", "helpscout", {"format": "html", "channel": "email", "brand": "85", "customer": True,
                                                 "agent_id": 12, "codes": {"NEG121"}}),
        ("gorgias.json", "gorgias", {"format": "html", "channel": "email", "brand": None, "customer": False,
                                     "agent_id": 93, "codes": {"NEG122"}}),
        ("gorgias_webhook.json", "gorgias", {"format": "text", "channel": "chat", "brand": None, "customer": True,
                                             "agent_id": 93, "codes": {"NEG123"}}),
    ],
)
def test_helpdesk_adapters(client, fixture, helpdesk, expected):
    payload = json.loads((FIXTURES / fixture).read_text())
    request = adapt(helpdesk, payload)
    assert request.format == expected["format"]
    assert request.channel == expected["channel"]
    assert request.brand == expected["brand"]
    assert (request.customer is not None) == expected["customer"]
    assert request.agent_id == expected["agent_id"]
    result = client.post(f"/v1/hooks/{helpdesk}", json=payload).json()
    assert expected["codes"] <= {f["code"] for f in result["findings"]}
    # What was quoted in the payload never fires (freshdesk.json quotes "calm down").
    assert "NEG123" not in {f["code"] for f in result["findings"]} or helpdesk == "gorgias"


def test_adapter_rejects_unknown_shapes(client):
    with pytest.raises(AdapterError, match="zendesk: the payload has no draft reply body"):
        adapt("zendesk", {"ticket": {"comment": {"public": True}}})
    with pytest.raises(AdapterError, match="unknown helpdesk"):
        adapt("intercom", {})
    response = client.post("/v1/hooks/gorgias", json={"message": {"body_text": 3}})
    assert response.status_code == 422 and "gorgias" in response.json()["detail"][0]["msg"]
    assert client.post("/v1/hooks/intercom", json={}).status_code == 422
    # The replylint override object wins over what the adapter derived.
    payload = json.loads((FIXTURES / "zendesk.json").read_text())
    payload["replylint"] = {"lang": "it", "channel": "chat", "brand": "acme", "accept": ["NEG120"]}
    request = adapt("zendesk", payload)
    assert (request.lang, request.channel, request.brand, request.accept) == ("it", "chat", "acme", ["NEG120"])


# -- LanguageTool-compatible ---------------------------------------------------------------------


def test_v2_check_plain_text_with_emoji_offsets_in_utf16(client):
    text = "😀👍 Come già detto, non possiamo rimborsare la spedizione."
    data = client.post("/v2/check", data={"text": text, "language": "it-IT"}).json()
    assert data["language"]["code"] == "it-IT" and data["language"]["detectedLanguage"]["code"] == "it"
    match = next(m for m in data["matches"] if m["rule"]["id"] == "NEG120")
    utf16 = text.encode("utf-16-le")
    assert utf16[match["offset"] * 2 : (match["offset"] + match["length"]) * 2].decode("utf-16-le") == "Come già detto"
    assert match["offset"] == 5  # 3 code points before it, two of them astral (2 UTF-16 units each)
    assert match["replacements"] == [{"value": "Come anticipato"}]
    assert match["rule"]["category"] == {"id": "NEGATIVE", "name": "Negative"}
    assert match["rule"]["issueType"] in {"register", "style", "grammar"}
    assert match["rule"]["description"]
    context = match["context"]
    ctx16 = context["text"].encode("utf-16-le")
    assert ctx16[context["offset"] * 2 : (context["offset"] + context["length"]) * 2].decode("utf-16-le") == "Come già detto"
    assert match["sentence"].startswith("😀👍 Come già detto") or match["sentence"].startswith("Come già detto")
    assert {"message", "shortMessage", "type", "ignoreForIncompleteSentence"} <= set(match)


def test_v2_check_reads_raw_utf8_in_a_form_body_as_curl_d_sends_it(client):
    # `curl -d text=già …` sends the UTF-8 bytes unescaped; LanguageTool reads them as UTF-8, and so must we.
    text = "Come già detto, non possiamo rimborsare la spedizione 😀."
    raw = b"language=it&text=" + text.encode("utf-8")
    escaped = client.post("/v2/check", data={"language": "it", "text": text}).json()
    for body in (raw, raw.replace(b" ", b"+")):
        data = client.post("/v2/check", content=body,
                           headers={"content-type": "application/x-www-form-urlencoded"}).json()
        match = next(m for m in data["matches"] if m["rule"]["id"] == "NEG120")
        assert match["context"]["text"].startswith("Come già detto")
        assert data["matches"] == escaped["matches"]
    # Properly escaped Latin-1 letters are not read twice.
    from replylint.service.ltcompat import form_value
    assert form_value("perché già è") == "perché già è" and form_value("giÃ\xa0") == "già"


def test_v2_check_annotated_text_offsets_point_into_the_markup(client):
    annotation = {"annotation": [
        {"markup": "<p>"}, {"text": "Ciao Marco,"}, {"markup": "</p><p>", "interpretAs": "\n\n"},
        {"markup": "<b>"}, {"text": "Come già detto"}, {"markup": "</b>"},
        {"text": ", non possiamo rimborsare la spedizione."}, {"markup": "</p>"},
    ]}
    original = "".join(p.get("text", p.get("markup")) for p in annotation["annotation"])
    data = client.post("/v2/check", data={"data": json.dumps(annotation), "language": "it"}).json()
    match = next(m for m in data["matches"] if m["rule"]["id"] == "NEG120")
    assert original[match["offset"] : match["offset"] + match["length"]] == "Come già detto"
    match = next(m for m in data["matches"] if m["rule"]["id"] == "NEG101")
    assert original[match["offset"] : match["offset"] + match["length"]].startswith("non possiamo")


def test_v2_check_languages_rules_and_errors(client):
    text = "As I said, we can't refund the shipping costs."
    auto = client.post("/v2/check", data={"text": text, "language": "auto"}).json()
    assert auto["language"]["code"] == "en" and any(m["rule"]["id"] == "NEG120" for m in auto["matches"])
    disabled = client.post("/v2/check", data={"text": text, "language": "en-US", "disabledRules": "NEG120,XYZ999"}).json()
    assert not any(m["rule"]["id"] == "NEG120" for m in disabled["matches"]) and disabled["matches"]
    only = client.post("/v2/check", data={"text": text, "language": "en-GB", "enabledRules": "NEG120",
                                           "enabledOnly": "true"}).json()
    assert {m["rule"]["id"] for m in only["matches"]} == {"NEG120"}
    # enabledRules without enabledOnly adds a rule that is off by default to the default ones, as in LanguageTool.
    elsewhere = {"text": "Contatta il nostro servizio clienti.", "language": "it"}
    default = {m["rule"]["id"] for m in client.post("/v2/check", data=elsewhere).json()["matches"]}
    added = {m["rule"]["id"] for m in client.post("/v2/check", data={**elsewhere, "enabledRules": "DEF101"}).json()["matches"]}
    assert "DEF101" not in default and default and added == default | {"DEF101"}
    assert client.post("/v2/check", data={"text": "   ", "language": "it"}).json()["matches"] == []
    for form, needle in [({"text": "x", "language": "de-DE"}, "Unsupported language"), ({"language": "it"}, "Missing"),
                         ({"data": "{not json", "language": "it"}, "Invalid"), ({"data": "[]"}, "Invalid")]:
        response = client.post("/v2/check", data=form)
        assert response.status_code == 400 and needle in response.text
    languages = client.get("/v2/languages").json()
    assert {"name": "Italian", "code": "it", "longCode": "it-IT"} in languages
    assert {lang["longCode"] for lang in languages} >= {"it-IT", "en-US", "en-GB"}


# -- operations -----------------------------------------------------------------------------------


def test_health_ready_metrics_openapi_docs(client):
    assert client.get("/healthz").json()["status"] == "ok"
    for _ in range(100):
        if client.get("/readyz").status_code == 200:
            break
        time.sleep(0.1)
    assert client.get("/readyz").json() == {"ready": True, "detail": "pipelines and rule packs loaded"}
    client.post("/v1/check", json={"reply": "SECRETWORD non possiamo farlo, come già detto."})
    metrics = client.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'replylint_http_requests_total{method="POST",route="/v1/check",status="200"}' in text
    assert "replylint_decisions_total{decision=" in text
    assert "replylint_http_request_duration_seconds_bucket" in text and "replylint_check_duration_seconds_count" in text
    assert "replylint_ready 1.0" in text
    assert "SECRETWORD" not in text and "possiamo" not in text
    spec = client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/check/batch", "/v2/check", "/v2/languages", "/healthz", "/readyz", "/metrics"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text and "https://" not in docs.text


def test_metrics_label_fastapis_own_routes_and_keep_unknown_paths_unmatched():
    with make_client(warm_up=False) as c:
        assert c.get("/openapi.json").status_code == 200 and c.get("/docs").status_code == 200
        for path in ("/wp-login.php", "/.env", "/openapi.json/x", "/redoc"):
            assert c.get(path).status_code == 404
        assert c.post("/healthz").status_code == 405
        text = c.get("/metrics").text
    assert 'replylint_http_requests_total{method="GET",route="/openapi.json",status="200"} 1.0' in text
    assert 'replylint_http_requests_total{method="GET",route="/docs",status="200"} 1.0' in text
    assert 'replylint_http_requests_total{method="GET",route="unmatched",status="404"} 4.0' in text
    assert 'replylint_http_requests_total{method="POST",route="/healthz",status="405"} 1.0' in text
    assert 'replylint_http_request_duration_seconds_count{route="/openapi.json"} 1.0' in text
    assert "wp-login" not in text and ".env" not in text and "redoc" not in text


def test_readyz_is_503_until_loaded(monkeypatch):
    gate = threading.Event()
    monkeypatch.setattr(server_module, "load_engine", lambda config: gate.wait(10))
    with make_client() as c:
        response = c.get("/readyz")
        assert response.status_code == 503 and response.json()["ready"] is False
        assert c.get("/healthz").status_code == 200
        gate.set()
        for _ in range(100):
            if c.get("/readyz").status_code == 200:
                break
            time.sleep(0.05)
        assert c.get("/readyz").status_code == 200


def test_bearer_token_from_config_and_env(monkeypatch):
    with make_client({"server": {"token": "s3cret"}}, warm_up=False) as c:
        body = {"reply": "Grazie mille!"}
        assert c.post("/v1/check", json=body).status_code == 401
        wrong = c.post("/v1/check", json=body, headers={"Authorization": "Bearer s3cre"})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
        assert c.post("/v1/check", json=body, headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.post("/v2/check", data={"text": "Grazie"}).status_code == 401
        assert c.get("/healthz").status_code == 200 and c.get("/readyz").status_code == 200
    monkeypatch.setenv("REPLYLINT_TOKEN", "from-env")
    with make_client(warm_up=False) as c:
        assert c.post("/v1/check", json={"reply": "Grazie"}).status_code == 401
        assert c.post("/v1/check", json={"reply": "Grazie"}, headers={"Authorization": "Bearer from-env"}).status_code == 200
    monkeypatch.setenv("HOOK_TOKEN", "other")
    with make_client({"server": {"token_env": "HOOK_TOKEN"}}, warm_up=False) as c:
        assert c.post("/v1/check", json={"reply": "Grazie"}, headers={"Authorization": "Bearer other"}).status_code == 200


def test_cors_off_by_default_and_configurable():
    preflight = {"Origin": "https://acme.zendesk.com", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type,authorization"}
    with make_client(warm_up=False) as c:
        response = c.options("/v1/check", headers=preflight)
        assert "access-control-allow-origin" not in response.headers
    with make_client({"server": {"cors_origins": ["https://acme.zendesk.com"]}}, warm_up=False) as c:
        response = c.options("/v1/check", headers=preflight)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "https://acme.zendesk.com"
        other = c.options("/v1/check", headers={**preflight, "Origin": "https://evil.example"})
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"


def test_no_reply_text_in_logs(caplog, monkeypatch):
    """Every logger at DEBUG, a good request, bad ones and an internal error: the text never shows up."""
    secret, customer = "Zanzibarquokka", "Quuxcustomerline"
    caplog.set_level(logging.DEBUG)
    original = server_module.run_check

    def explode(request, config):
        if "BOOM" in request.reply:
            raise RuntimeError(f"failure while checking {request.reply}")
        return original(request, config)

    monkeypatch.setattr(server_module, "run_check", explode)
    with make_client({"server": {"max_body_bytes": 4000, "token": "t"}}) as c:
        auth = {"Authorization": "Bearer t"}
        c.post("/v1/check", json={"reply": f"{secret}, come già detto non possiamo.", "customer": customer}, headers=auth)
        c.post("/v1/check", json={"reply": f"{secret}", "lang": "xx"}, headers=auth)
        c.post("/v1/check", json={"reply": f"{secret}\x00"}, headers=auth)
        c.post("/v1/check", content=f'{{"reply": "{secret}'.encode(), headers={**auth, "content-type": "application/json"})
        c.post("/v1/check", json={"reply": secret * 400}, headers=auth)
        c.post("/v1/check", json={"reply": secret}, headers={"Authorization": f"Bearer {secret}"})
        c.post("/v1/check/batch", json={"replies": [{"reply": secret}, {"reply": " "}]}, headers=auth)
        c.post("/v2/check", data={"text": f"{secret} non possiamo", "language": "it"}, headers=auth)
        c.post("/v2/check?text=" + secret, data={"language": "zz"}, headers=auth)
        response = c.post("/v1/check", json={"reply": f"BOOM {secret}"}, headers=auth)
        assert response.status_code == 500 and secret not in response.text
        logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1", "GET", f"/v2/check?text={secret}", "1.1", 405)
    assert any(r.name == "replylint.service.server" and "RuntimeError" in r.getMessage() for r in caplog.records)
    assert caplog.records, "nothing was logged at all: the test would prove nothing"
    # httpx is the test's own client (it logs the URL it calls), not the server.
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in server_side)
    assert "uvicorn.access" in logged
    assert secret not in logged and customer not in logged


# -- policy, html and config units ---------------------------------------------------------------


def _report(*findings: tuple[str, str], words: int = 75, channel: str = "email") -> Report:
    items = [
        Finding(code=code, name="x", category="negative", severity=severity, span=Span(start=0, end=1),
                excerpt="x", line=1, column=1, message="m")
        for code, severity in findings
    ]
    from replylint.analysis.score import level, score

    value = score(items, words)
    # No language: the policy then recomputes scores with the penalty sum, so the arithmetic in the
    # assertions below can be checked by hand (the fitted level model needs a whole report).
    return Report(language=None, channel=channel, findings=items, score=value, level=level(value), words=words)


def test_policy_precedence_and_decisions():
    policy = Policy.model_validate({
        "min_score": 30,
        "channels": {"sms": {"block_on_error": False}},
        "brands": {"acme": {"min_score": 70, "channels": {"sms": {"min_score": 10}}}},
        "block_codes": ["BRD1"],
    })
    assert policy.resolve(channel="sms").block_on_error is False
    assert policy.resolve(brand="acme").min_score == 70
    assert policy.resolve(brand="acme", channel="sms").min_score == 10
    assert policy.resolve(brand="acme", channel="sms").block_on_error is False
    assert policy.resolve(brand="other").min_score == 30

    info, warning, error, brand = ("LAT101", "info"), ("NEG120", "warning"), ("NEG121", "error"), ("BRD101", "info")
    assert policy.decide(_report()) == ("allow", [])
    assert policy.decide(_report(info))[0] == "allow"
    assert Policy(warn_on_info=True).decide(_report(info))[0] == "warn"
    assert policy.decide(_report(warning))[0] == "warn"
    assert policy.decide(_report(info, brand))[0] == "block"  # BRD1 is a block code, whatever its severity
    assert policy.decide(_report(info, brand), accept=["BRD"])[0] == "allow"
    decision, reasons = policy.decide(_report(error))
    assert decision == "block" and [r.code for r in reasons] == ["error-finding"]
    assert policy.decide(_report(error, channel="sms"))[0] == "allow"  # block_on_error off; score 39 ≥ 30
    assert Policy(block_on_error=False, min_score=40).decide(_report(error))[0] == "block"  # 39 < 40
    assert policy.decide(_report(error), brand="acme", accept=["NEG121"])[0] == "allow"
    assert policy.decide(_report(warning, warning, warning), brand="acme")[0] == "block"  # score 55 < 70
    assert Policy(warn_below_score=100).decide(_report(info))[0] == "warn"
    assert Policy(unchecked="warn").decide(Report(language=None, words=3))[0] == "warn"


def test_policy_config_rejects_unknown_keys():
    from replylint import ConfigError, load_config

    with pytest.raises(Exception, match="extra"):
        Policy.model_validate({"block_on_eror": True})
    with pytest.raises(Exception):
        Config.model_validate({"server": {"max_body": 1}})
    assert Config().server.max_body_bytes == 65536 and Config().policy.block_on_error is True
    del ConfigError, load_config


def test_policy_and_server_from_toml(tmp_path):
    from replylint import ConfigError, load_config

    path = tmp_path / "replylint.toml"
    path.write_text(
        '[policy]\nmin_score = 40\n[policy.brands.acme]\nmin_score = 60\n'
        '[server]\ncors_origins = ["https://acme.zendesk.com"]\nmax_body_bytes = 32768\n'
    )
    config = load_config(path)
    assert config.policy.resolve(brand="acme").min_score == 60
    assert config.server.cors_origins == ["https://acme.zendesk.com"] and config.server.max_body_bytes == 32768
    path.write_text("[policy]\nmin_score = 140\n")
    with pytest.raises(ConfigError, match="policy.min_score"):
        load_config(path)


def test_html_to_text_offsets():
    html = "<p>Hi&nbsp;Tom,</p>\n  <ul><li>one &amp; two</li><li>three</li></ul><script>x()</script>AT&T<br/>end"
    converted = html_to_text(html)
    assert converted.text == "Hi Tom,\n\none & two\nthree\n\nAT&T\nend"
    for needle in ("Tom", "one & two", "three", "AT&T", "end"):
        start = converted.text.index(needle)
        s, e = converted.html_span(start, start + len(needle))
        assert html_to_text(html[s:e]).text == needle
    outlook = '<div>Thanks!</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg">From: x</div><div>old</div>'
    assert html_to_text(outlook).text == "Thanks!"
    assert html_to_text("<p>a</p><div class='moz-signature'>-- <br>Sig</div>").text == "a"
    assert html_to_text("").text == "" and html_to_text("<<<>>>&&&").text == "<<<>>>&&&"


def test_serve_without_the_extra_exits_2(monkeypatch, capsys):
    from replylint.cli import main

    monkeypatch.setitem(sys.modules, "fastapi", None)
    monkeypatch.delitem(sys.modules, "replylint.service.server", raising=False)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip()
    # replylint is not on the package index: the hint installs this very checkout, by its folder.
    assert err.count("\n") == 0 and f"pip install '{Path(__file__).resolve().parents[1]}[server]'" in err
    assert "'replylint[server]'" not in err
    assert Severity  # the public API still imports without the extra


def test_the_install_hint_outside_a_source_checkout_names_the_folder_and_the_wheel(tmp_path):
    from replylint import __version__
    from replylint.service.launch import install_hint

    hint = install_hint(tmp_path / "site-packages" / "replylint")
    assert "pip install '.[server]' in replylint's source folder" in hint
    assert f"pip install './replylint-{__version__}-py3-none-any.whl[server]'" in hint
    assert "'replylint[server]'" not in hint


def test_v2_check_is_not_quadratic_in_the_number_of_findings(client):
    """Each match's sentence was found by scanning from the start of the text: 55,000 characters
    with 2,700 findings took 2–3 s on /v2 against 0.2 s on /v1."""
    client.post("/v2/check", data={"text": "Ciao a tutti", "language": "it"})
    text = ("Come già detto, non possiamo rimborsare. " * 1400)[:55000]
    start = time.perf_counter()
    v1 = client.post("/v1/check", json={"reply": text, "lang": "it"})
    middle = time.perf_counter()
    v2 = client.post("/v2/check", data={"text": text + " ", "language": "it"})
    end = time.perf_counter()
    assert v1.status_code == v2.status_code == 200 and len(v2.json()["matches"]) > 2000
    assert end - middle <= 3 * (middle - start) + 0.3, (middle - start, end - middle)


def test_v2_sentence_is_the_one_the_reference_definition_gives():
    """`_Sentences.around` keeps to what the sentence around a span was before it was made linear."""
    import random

    from replylint.service.ltcompat import _SENTENCE_END, _Sentences

    def _sentence(plain: str, start: int, end: int) -> str:
        begin = 0
        for match in _SENTENCE_END.finditer(plain, 0, start):
            begin = match.end()
        stop = _SENTENCE_END.search(plain, end)
        return plain[begin : stop.start() if stop else len(plain)].strip()

    rng = random.Random(5)
    for _ in range(20_000):
        text = "".join(rng.choice("ab .!?\n\t…") for _ in range(rng.randint(1, 20)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert _Sentences(text).around(start, end) == _sentence(text, start, end), (text, start, end)
