"""Layout variants as small case files: tests/cases/NAME.txt with NAME.json.

Each case is a complete (if tiny) report cut down from a real sample to one
layout. The JSON holds expected values: every key it names must match the
parse result (`Evaluation.to_json()`); lists must match in length and order;
numbers within 0.051. "warnings_include" lists substrings some warning must
contain. Add a case for every layout or bug met in a real report.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from kompass.parse import parse_report
from tests.helpers.parse import CASES, close

CASE_NAMES = sorted(p.stem for p in CASES.glob("*.txt"))


def mismatches(got: Any, expected: Any, where: str = "") -> list[str]:
    """Where `got` differs from `expected` (a subset of it, see the module docstring)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{where}: expected an object, got {got!r}"]
        return [err for key, value in expected.items()
                for err in mismatches(got.get(key), value, f"{where}.{key}")]  # fmt: skip
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            return [f"{where}: expected {expected!r}, got {got!r}"]
        return [err for i, (g, e) in enumerate(zip(got, expected, strict=True))
                for err in mismatches(g, e, f"{where}[{i}]")]  # fmt: skip
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        return [] if close(got, expected) else [f"{where}: expected {expected!r}, got {got!r}"]
    return [] if got == expected else [f"{where}: expected {expected!r}, got {got!r}"]


def load_case(name: str) -> dict[str, Any]:
    return json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))


def test_every_case_has_expectations() -> None:
    assert len(CASE_NAMES) >= 6
    for name in CASE_NAMES:
        assert (CASES / f"{name}.json").exists(), f"{name}.txt has no {name}.json"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_case(name: str) -> None:
    expected = load_case(name)
    expected.pop("description", None)
    warnings = expected.pop("warnings_include", [])
    got = parse_report(CASES / f"{name}.txt").to_json()
    errors = mismatches(got, expected)
    errors += [f"no warning mentions {w!r}" for w in warnings
               if not any(w in g for g in got["warnings"])]  # fmt: skip
    assert errors == [], "\n".join(errors)


def test_matcher_reports_differences() -> None:
    got = {"a": 1.0, "b": [1, 2], "c": {"d": "x"}, "extra": True}
    assert mismatches(got, {"a": 1.04, "b": [1, 2], "c": {}}) == []
    assert len(mismatches(got, {"a": 1.1, "b": [1], "c": {"d": "y"}})) == 3


def test_cases_are_small() -> None:
    for name in CASE_NAMES:
        assert (CASES / f"{name}.txt").stat().st_size < 20_000
