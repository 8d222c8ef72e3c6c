"""Reports in the formats CI systems read: SARIF 2.1.0, GitHub workflow annotations, JUnit XML.

Teams keep reply templates (macros) in a repository and lint them on every pull request; the CI
then shows each finding where it reads findings: code scanning reads SARIF, a GitHub workflow
turns `::warning file=…::` lines into annotations on the diff, Jenkins and GitLab read JUnit. All
three are built from the same (path, text, report) triples the text output prints, and carry only
what a finding already shows on a terminal: the location, the code, the message and the fix.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree

from . import __version__
from .engine.findings import LineIndex
from .models import Report, Severity

Checked = tuple[str, str, Report]  # (path as given, the reply's text, its report)

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SARIF_LEVEL = {Severity.error: "error", Severity.warning: "warning", Severity.info: "note"}
_GITHUB_COMMAND = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}


def _uri(path: str) -> str:
    return "stdin" if path in ("-", "<stdin>") else path.replace("\\", "/")


def sarif(checked: Sequence[Checked], rules: Sequence[Any], *, min_severity: Severity = Severity.info) -> dict[str, Any]:
    """One SARIF log with one run: the rules met (metadata from the packs) and a result per finding.
    Columns count Unicode code points (`columnKind`), as the reports' offsets do."""
    by_code: dict[str, Any] = {}
    for rule in rules:
        by_code.setdefault(rule.code, rule)
    used = sorted({f.code for _, _, report in checked for f in report.at_or_above(min_severity)})
    index = {code: i for i, code in enumerate(used)}
    descriptors = [_descriptor(code, by_code.get(code)) for code in used]
    results = []
    for path, text, report in checked:
        positions = LineIndex(text)
        for finding in report.at_or_above(min_severity):
            end_line, end_column = positions.position(finding.span.end)  # just past the span
            region = {"startLine": finding.line, "startColumn": finding.column, "endLine": end_line,
                      "endColumn": end_column, "charOffset": finding.span.start,
                      "charLength": finding.span.end - finding.span.start}
            result: dict[str, Any] = {
                "ruleId": finding.code, "ruleIndex": index[finding.code], "level": _SARIF_LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": region}}],
                "properties": {"category": finding.category.value, "language": report.language},
            }
            fixes = [s.replacement for s in finding.suggestions if s.replacement is not None]
            if fixes:
                result["fixes"] = [{
                    "description": {"text": f"Replace with {fixes[0]!r}"},
                    "artifactChanges": [{"artifactLocation": {"uri": _uri(path)}, "replacements": [{
                        "deletedRegion": {"charOffset": finding.span.start,
                                          "charLength": finding.span.end - finding.span.start},
                        "insertedContent": {"text": fixes[0]}}]}],
                }]
            results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "replylint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://pypi.org/project/replylint/", "rules": descriptors}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _descriptor(code: str, rule: Any) -> dict[str, Any]:
    if rule is None:  # a finding no pack defines (a note-like code): its id is all there is
        return {"id": code}
    advice = rule.suggest.advice.get("en") if rule.suggest else None
    descriptor: dict[str, Any] = {
        "id": code, "name": rule.name,
        "shortDescription": {"text": rule.summary.get("en")},
        "fullDescription": {"text": rule.rationale.get("en")},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity], "enabled": bool(rule.enabled)},
        "properties": {"category": rule.category.value, "tags": [rule.category.value]},
    }
    if advice:
        descriptor["help"] = {"text": advice}
    return descriptor


def sarif_json(checked: Sequence[Checked], rules: Sequence[Any], *, min_severity: Severity = Severity.info) -> str:
    return json.dumps(sarif(checked, rules, min_severity=min_severity), indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(checked: Sequence[Checked], *, min_severity: Severity = Severity.info) -> str:
    """One workflow command per finding (`::warning file=…,line=…,col=…::message`); GitHub shows each as
    an annotation on the pull request's diff."""
    lines = []
    for path, text, report in checked:
        positions = LineIndex(text)
        for finding in report.at_or_above(min_severity):
            end_line, end_column = positions.position(finding.span.end)
            props = [f"file={_escape_property(_uri(path))}", f"line={finding.line}", f"col={finding.column}",
                     f"endLine={end_line}", f"endColumn={end_column}",
                     f"title={_escape_property(f'replylint {finding.code}')}"]
            lines.append(f"::{_GITHUB_COMMAND[finding.severity]} {','.join(props)}::"
                         f"{_escape_data(f'{finding.code} {finding.message}')}")
    return "".join(line + "\n" for line in lines)


def junit(checked: Sequence[Checked], *, fail_on: Severity = Severity.error,
          min_severity: Severity = Severity.info) -> str:
    """JUnit XML: a test suite per file, a test case per finding (a failure at or above `fail_on`,
    else a passing case with the finding as its output), one passing case for a file with none."""
    suites = ElementTree.Element("testsuites", name="replylint")
    total = failed = 0
    for path, _text, report in checked:
        findings = report.at_or_above(min_severity)
        suite = ElementTree.SubElement(suites, "testsuite", name=_uri(path))
        failures = 0
        for finding in findings:
            case = ElementTree.SubElement(suite, "testcase", classname=_uri(path),
                                          name=f"{finding.code} {finding.line}:{finding.column}")
            body = f"{_uri(path)}:{finding.line}:{finding.column}: {finding.code} [{finding.severity.value}] " \
                   f"{finding.message}"
            if finding.severity.rank >= fail_on.rank:
                failure = ElementTree.SubElement(case, "failure", message=finding.message, type=finding.code)
                failure.text = body
                failures += 1
            else:
                ElementTree.SubElement(case, "system-out").text = body
        if not findings:
            ElementTree.SubElement(suite, "testcase", classname=_uri(path), name="no findings")
        cases = max(1, len(findings))
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total += cases
        failed += failures
    suites.set("tests", str(total))
    suites.set("failures", str(failed))
    suites.set("errors", "0")
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
