#!/usr/bin/env python3
"""Check the project's report parser against hand-verified expected values.

Runs the parse command on each report and compares its JSON output with the
matching expected file. Standard library only.

    python3 tests/check_golden.py                      # data/reports vs tests/golden
    python3 tests/check_golden.py --cmd ".venv/bin/kompass parse --json"
    python3 tests/check_golden.py --reports DIR --expected DIR

A copy of the team's shared checker (shared/tools/check_golden.py), so that
`make golden` works from a clone alone; only the default folders differ.

Expected files are named like the report with .json (burlov-2020.txt ->
burlov-2020.json) or REPORT.expected.json next to the report. A report whose
expected file has "expect_error": true must make the command exit non-zero
with a message on stderr, and print no JSON evaluation on stdout.
The last line printed is 'N passed, M failed'.
"""
from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOL = 0.051


def norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s or "").casefold()
    s = re.sub(r"[\u2010-\u2015\-]", "-", s)
    s = re.sub(r"\s*-\s*", " - ", s)
    return re.sub(r"\s+", " ", s).strip()


def close(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) <= TOL
    except (TypeError, ValueError):
        return False


def compare(got: dict, exp: dict) -> list[str]:
    errs: list[str] = []

    def need(cond: bool, msg: str) -> None:
        if not cond:
            errs.append(msg)

    for key in ("municipality", "municipality_code", "year", "month", "framework",
                "evaluation_number", "interviewees"):
        if exp.get(key) is not None:
            need(str(got.get(key)) == str(exp[key]), f"{key}: got {got.get(key)!r}, expected {exp[key]!r}")
    if exp.get("evaluators"):
        need({norm(x) for x in got.get("evaluators") or []} == {norm(x) for x in exp["evaluators"]},
             f"evaluators: got {got.get('evaluators')!r}, expected {exp['evaluators']!r}")

    areas = {a.get("number"): a for a in got.get("areas") or []}
    need(sorted(areas) == list(range(1, 9)), f"areas: got numbers {sorted(areas)}, expected 1..8")
    for ea in exp["areas"]:
        n = ea["number"]
        ga = areas.get(n)
        if ga is None:
            continue
        need(close(ga.get("score"), ea["score"]), f"area {n} score: got {ga.get('score')}, expected {ea['score']}")
        need(norm(ga.get("name", "")) == norm(ea["name"]), f"area {n} name: got {ga.get('name')!r}, expected {ea['name']!r}")
        if exp.get("check_findings", True):
            need(len(ga.get("strengths") or []) >= 1, f"area {n}: no strengths parsed")
            need(len(ga.get("improvements") or []) >= 1, f"area {n}: no improvements parsed")
        gsub = {s.get("code"): s for s in ga.get("subareas") or []}
        need([s.get("code") for s in ga.get("subareas") or []] == [s["code"] for s in ea["subareas"]],
             f"area {n} subarea codes: got {[s.get('code') for s in ga.get('subareas') or []]}, "
             f"expected {[s['code'] for s in ea['subareas']]}")
        for es in ea["subareas"]:
            gs = gsub.get(es["code"])
            if gs is None:
                continue
            need(close(gs.get("score"), es["score"]), f"subarea {es['code']} score: got {gs.get('score')}, expected {es['score']}")
            need(close(gs.get("max"), es["max"]), f"subarea {es['code']} max: got {gs.get('max')}, expected {es['max']}")
            gn, en = norm(gs.get("name", "")), norm(es["name"])
            need(bool(gn) and (gn.startswith(en[:40]) or en.startswith(gn[:40])),
                 f"subarea {es['code']} name: got {gs.get('name')!r}, expected {es['name']!r}")
    need(close(got.get("total"), exp["total"]), f"total: got {got.get('total')}, expected {exp['total']}")

    for eref in exp.get("references") or []:
        match = [r for r in got.get("references") or [] if norm(eref["label"]) in norm(r.get("label", ""))]
        need(bool(match), f"reference {eref['label']!r} missing")
        if match:
            need(all(close(a, b) for a, b in zip(match[0].get("scores") or [], eref["scores"]))
                 and len(match[0].get("scores") or []) == 8, f"reference {eref['label']!r} scores: got {match[0].get('scores')}")
            need(close(match[0].get("total"), eref["total"]), f"reference {eref['label']!r} total: got {match[0].get('total')}")
    for eprev in exp.get("previous_evaluations") or []:
        match = [p for p in got.get("previous_evaluations") or [] if str(p.get("year")) == str(eprev["year"])]
        need(bool(match), f"previous evaluation {eprev['year']} missing")
        if match:
            need(len(match[0].get("scores") or []) == 8
                 and all(close(a, b) for a, b in zip(match[0]["scores"], eprev["scores"])),
                 f"previous evaluation {eprev['year']} scores: got {match[0].get('scores')}")

    flagged = sorted({d.get("area") for d in got.get("discrepancies") or [] if d.get("area") is not None})
    expected_flags = sorted({d["area"] for d in exp.get("header_discrepancies") or []})
    need(flagged == expected_flags, f"discrepancies flagged for areas {flagged}, expected {expected_flags}")
    return errs


def run(cmd: list[str], report: Path) -> tuple[int, str, str]:
    p = subprocess.run([*cmd, str(report)], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def expected_for(report: Path, expected_dir: Path | None) -> Path | None:
    for cand in ([expected_dir / (report.stem + ".json")] if expected_dir else []) + [
        report.with_name(report.stem + ".expected.json"), report.with_suffix(".json")]:
        if cand.exists():
            return cand
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cmd", default="kompass parse --json", help="command that prints one evaluation as JSON for a report path")
    ap.add_argument("--reports", type=Path, default=HERE.parent / "data" / "reports")
    ap.add_argument("--expected", type=Path, default=HERE / "golden")
    args = ap.parse_args()
    cmd = shlex.split(args.cmd)
    passed = failed = 0
    reports = sorted(p for p in args.reports.iterdir() if p.is_file() and not p.name.endswith(".json"))
    for report in reports:
        exp_path = expected_for(report, args.expected)
        if exp_path is None:
            continue
        exp = json.loads(exp_path.read_text(encoding="utf-8"))
        try:
            rc, out, err = run(cmd, report)
        except (OSError, subprocess.TimeoutExpired) as e:
            print(f"FAIL {report.name}: could not run {args.cmd!r}: {e}")
            failed += 1
            continue
        if exp.get("expect_error"):
            ok = rc != 0 and err.strip() and "Traceback" not in err
            print(("ok   " if ok else "FAIL ") + f"{report.name}: exit {rc}, stderr: {err.strip()[:160]!r}")
            passed, failed = passed + ok, failed + (not ok)
            continue
        if rc != 0:
            print(f"FAIL {report.name}: exit {rc}: {err.strip()[-300:]}")
            failed += 1
            continue
        try:
            got = json.loads(out)
        except json.JSONDecodeError as e:
            print(f"FAIL {report.name}: output is not JSON ({e})")
            failed += 1
            continue
        errs = compare(got, exp)
        if errs:
            failed += 1
            print(f"FAIL {report.name}:")
            for e in errs[:25]:
                print("     " + e)
        else:
            passed += 1
            print(f"ok   {report.name}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
