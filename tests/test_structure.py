"""Structure rules are channel-aware and their thresholds can be tuned per team."""

from __future__ import annotations

import pytest

import replylint
from replylint import UnknownRuleError

NO_GREETING = "Il rimborso è stato emesso oggi e lo vedrai entro 5 giorni lavorativi.\n\nUn saluto,\nGiulia"


def _codes(text: str, **kwargs) -> set[str]:
    return {f.code for f in replylint.check(text, lang="it", **kwargs).findings}


def test_a_greeting_is_expected_in_email_not_in_chat() -> None:
    assert "STR101" in _codes(NO_GREETING, channel="email")
    assert "STR101" not in _codes(NO_GREETING, channel="chat")


def test_wall_of_text_threshold_comes_from_config() -> None:
    paragraph = "Ciao Marta,\n\n" + " ".join(["il pacco è partito dal magazzino"] * 8) + ".\n\nUn saluto,\nGiulia"
    assert "STR104" not in _codes(paragraph)
    tight = _codes(paragraph, config={"params": {"STR104": {"max_words": 20}}})
    assert "STR104" in tight
    finding = next(
        f for f in replylint.check(paragraph, lang="it", config={"params": {"STR104": {"max_words": 20}}}).findings
        if f.code == "STR104"
    )
    assert "48 parole" in finding.message and "massimo 20" in finding.message  # placeholders filled


def test_params_for_an_unknown_code_are_refused() -> None:
    with pytest.raises(UnknownRuleError):
        replylint.check("Ciao", lang="it", config={"params": {"ZZZ999": {"max_words": 1}}})


def test_placeholders_are_errors_and_fail_the_reply() -> None:
    report = replylint.check("Ciao {{first_name}}, il tuo ordine è partito.", lang="it", channel="chat")
    placeholder = next(f for f in report.findings if f.code == "STR105")
    assert placeholder.severity.value == "error" and placeholder.excerpt == "{{first_name}}"
    assert report.level.value == "unacceptable"


def test_social_replies_are_held_to_280_characters() -> None:
    long_reply = "Ciao Marta, " + "ci dispiace molto per il ritardo del tuo ordine. " * 7
    social = replylint.check(long_reply, lang="it", channel="social")
    finding = next(f for f in social.findings if f.code == "STR108")
    assert "280" in finding.message
    assert "STR108" not in _codes(long_reply, channel="email")


def test_unknown_param_names_in_config_are_refused() -> None:
    with pytest.raises(replylint.ConfigError, match="max_wordz"):
        replylint.check("Ciao", lang="it", config={"params": {"STR104": {"max_wordz": 10}}})
