"""Shared helpers for the parser tests: sample paths, golden comparison, score signatures.

The golden comparison mirrors `shared/tools/check_golden.py` (the project's
acceptance check) so that `pytest` fails on exactly what that tool rejects.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from kompass.parse import Evaluation

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "data" / "reports"
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = Path(__file__).resolve().parents[1] / "cases"
SAMPLES = ("burlov-2020", "hoganas-2018", "lund-2011", "sala-2023", "svenljunga-2022")
TOLERANCE = 0.051


def sample_path(name: str) -> Path:
    return REPORTS / f"{name}.txt"


def sample_text(name: str) -> str:
    return sample_path(name).read_text(encoding="utf-8")


def load_golden(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def norm(text: str | None) -> str:
    """Case-, dash- and whitespace-insensitive form of a name."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    text = re.sub(r"[\u2010-\u2015\-]", "-", text)
    text = re.sub(r"\s*-\s*", " - ", text)
    return re.sub(r"\s+", " ", text).strip()


def close(a: object, b: object) -> bool:
    try:
        return abs(float(a) - float(b)) <= TOLERANCE  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _names_match(got: str, expected: str) -> bool:
    g, e = norm(got), norm(expected)
    return bool(g) and (g.startswith(e[:40]) or e.startswith(g[:40]))


def _compare_metadata(got: dict[str, Any], exp: dict[str, Any], errs: list[str]) -> None:
    for key in ("municipality", "municipality_code", "year", "month", "framework",
                "evaluation_number", "interviewees"):  # fmt: skip
        if exp.get(key) is not None and str(got.get(key)) != str(exp[key]):
            errs.append(f"{key}: got {got.get(key)!r}, expected {exp[key]!r}")
    if exp.get("evaluators"):
        got_names = {norm(x) for x in got.get("evaluators") or []}
        if got_names != {norm(x) for x in exp["evaluators"]}:
            errs.append(
                f"evaluators: got {got.get('evaluators')!r}, expected {exp['evaluators']!r}"
            )


def _compare_area(ga: dict[str, Any], ea: dict[str, Any], findings: bool, errs: list[str]) -> None:
    n = ea["number"]
    if not close(ga.get("score"), ea["score"]):
        errs.append(f"area {n} score: got {ga.get('score')}, expected {ea['score']}")
    if norm(ga.get("name")) != norm(ea["name"]):
        errs.append(f"area {n} name: got {ga.get('name')!r}, expected {ea['name']!r}")
    if findings:
        for kind in ("strengths", "improvements"):
            if not ga.get(kind):
                errs.append(f"area {n}: no {kind} parsed")
    got_codes = [s.get("code") for s in ga.get("subareas") or []]
    exp_codes = [s["code"] for s in ea["subareas"]]
    if got_codes != exp_codes:
        errs.append(f"area {n} sub-area codes: got {got_codes}, expected {exp_codes}")
    by_code = {s.get("code"): s for s in ga.get("subareas") or []}
    for es in ea["subareas"]:
        gs = by_code.get(es["code"])
        if gs is None:
            continue
        for key in ("score", "max"):
            if not close(gs.get(key), es[key]):
                errs.append(f"sub-area {es['code']} {key}: got {gs.get(key)}, expected {es[key]}")
        if not _names_match(gs.get("name", ""), es["name"]):
            errs.append(
                f"sub-area {es['code']} name: got {gs.get('name')!r}, expected {es['name']!r}"
            )


def _same_scores(got: list[Any], expected: list[Any]) -> bool:
    return len(got) == len(expected) == 8 and all(
        close(a, b) for a, b in zip(got, expected, strict=True)
    )


def _compare_series(got: dict[str, Any], exp: dict[str, Any], errs: list[str]) -> None:
    for eref in exp.get("references") or []:
        label = norm(eref["label"])
        match = [r for r in got.get("references") or [] if label in norm(r.get("label"))]
        if not match:
            errs.append(f"reference {eref['label']!r} missing")
            continue
        scores = match[0].get("scores") or []
        if not _same_scores(scores, eref["scores"]):
            errs.append(f"reference {eref['label']!r} scores: got {scores}")
        if not close(match[0].get("total"), eref["total"]):
            errs.append(f"reference {eref['label']!r} total: got {match[0].get('total')}")
    for eprev in exp.get("previous_evaluations") or []:
        match = [p for p in got.get("previous_evaluations") or [] if p.get("year") == eprev["year"]]
        if not match:
            errs.append(f"previous evaluation {eprev['year']} missing")
            continue
        scores = match[0].get("scores") or []
        if not _same_scores(scores, eprev["scores"]):
            errs.append(f"previous evaluation {eprev['year']} scores: got {scores}")


def compare_with_golden(got: dict[str, Any], exp: dict[str, Any]) -> list[str]:
    """Differences between a parse result (`to_json()`) and a golden file; empty if equal."""
    errs: list[str] = []
    _compare_metadata(got, exp, errs)
    areas = {a.get("number"): a for a in got.get("areas") or []}
    if sorted(areas) != list(range(1, 9)):
        errs.append(f"areas: got numbers {sorted(areas)}, expected 1..8")
    for ea in exp["areas"]:
        if ea["number"] in areas:
            _compare_area(areas[ea["number"]], ea, exp.get("check_findings", True), errs)
    if not close(got.get("total"), exp["total"]):
        errs.append(f"total: got {got.get('total')}, expected {exp['total']}")
    _compare_series(got, exp, errs)
    flagged = sorted({d["area"] for d in got.get("discrepancies") or [] if d.get("area")})
    expected_flags = sorted({d["area"] for d in exp.get("header_discrepancies") or []})
    if flagged != expected_flags:
        errs.append(f"discrepancies flagged for areas {flagged}, expected {expected_flags}")
    return errs


def score_errors(evaluation: Evaluation, exp: dict[str, Any]) -> list[str]:
    """Differences in the numbers only: area scores, sub-areas (code, score, max), total."""
    errs: list[str] = []
    got_areas = {a.number: a for a in evaluation.areas}
    for ea in exp["areas"]:
        ga = got_areas.get(ea["number"])
        if ga is None:
            errs.append(f"area {ea['number']} missing")
            continue
        if not close(ga.score, ea["score"]):
            errs.append(f"area {ga.number} score: got {ga.score}, expected {ea['score']}")
        got_subs = [(s.code, s.score, s.max) for s in ga.subareas]
        exp_subs = [(s["code"], s["score"], s["max"]) for s in ea["subareas"]]
        same = len(got_subs) == len(exp_subs) and all(
            g[0] == e[0] and close(g[1], e[1]) and close(g[2], e[2])
            for g, e in zip(got_subs, exp_subs, strict=True)
        )
        if not same:
            errs.append(f"area {ga.number} sub-areas: got {got_subs}, expected {exp_subs}")
    if not close(evaluation.total, exp["total"]):
        errs.append(f"total: got {evaluation.total}, expected {exp['total']}")
    return errs


def signature(evaluation: Evaluation) -> list[tuple[object, ...]]:
    """Everything numeric about an evaluation, for comparing two parses of one report."""
    rows: list[tuple[object, ...]] = [
        (evaluation.municipality, evaluation.year, evaluation.framework, evaluation.total)
    ]
    for area in evaluation.areas:
        rows.append((area.number, area.name, area.score))
        rows.extend((s.code, s.score, s.max) for s in area.subareas)
    return rows


def findings_signature(evaluation: Evaluation) -> list[tuple[int, int, int, int]]:
    """Per area, the number of strengths, partial points and improvements."""
    return [(a.number, len(a.strengths), len(a.partial), len(a.improvements))
            for a in evaluation.areas]  # fmt: skip


def edited_sala() -> bytes:
    """Sala 2023 corrected: sub-area 1.1 and area 1's subtotal 4 points higher (486 in all)."""
    original = (ROOT / "data" / "reports" / "sala-2023.txt").read_bytes()
    edited = original.replace(b"information\t13\t20", b"information\t17\t20", 1)
    edited = edited.replace(b"\n\t\t66\t100\n", b"\n\t\t70\t100\n", 1)
    assert edited.count(b"\t17\t20") == original.count(b"\t17\t20") + 1
    return edited
