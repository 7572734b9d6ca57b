"""Fuzzing the parser with mutated sample reports.

Every mutant of `data/reports/*.txt` (lines deleted or duplicated, columns
swapped, files cut, random bytes, wrong encodings, huge, negative and
above-max numbers, HTML/script in findings) must either parse into valid
numbers or raise `ParseError` with a message: never another exception, and
never a score outside 0–max or a sub-area table that silently disagrees with
its area. A failed ingest leaves the store as it was. Mutants are seeded: a
few hundred by default, ten times as many with KOMPASS_LONG_TESTS=1.
"""

from __future__ import annotations

import html
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kompass.parse import Evaluation, ParseError, parse_bytes
from kompass.parse.model import FINDING_KINDS
from kompass.store import ingest
from tests.helpers.db import dump

LONG = os.environ.get("KOMPASS_LONG_TESTS") == "1"
PER_KIND = 300 if LONG else 30
REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
SAMPLES = {path.stem: path.read_text(encoding="utf-8") for path in sorted(REPORTS.glob("*.txt"))}
# Lines worth hitting: table rows, headings, scores, findings headers.
_STRUCTURE = re.compile(r"\t|^\s*(Område|Poäng|Rubriker|Styrkor|Utvärderingen av|\d)")
_NUMBER_CELL = re.compile(r"(?<![\w.,])\d{1,3}(?:[.,]\d+)?(?![\w.,])")
_SUBAREA_ROW = re.compile(r"^([1-8]\.\d+)(\s.*?)\t(\d+(?:[.,]\d+)?)\t(\d+)")
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">klicka</a>',
    '"><svg onload=alert(1)>',
    "<iframe src=//evil.example></iframe>",
)
SUM_TOLERANCE = 0.51


@dataclass
class Mutant:
    data: bytes
    steps: list[str] = field(default_factory=list)
    payload: str | None = None  # text injected into a finding, expected back verbatim

    def __str__(self) -> str:
        return " + ".join(self.steps)


# --- line mutations ----------------------------------------------------------------------


def _pick(rng: random.Random, lines: list[str], pattern: re.Pattern[str] = _STRUCTURE) -> int:
    """A line index, mostly one that matches `pattern`."""
    hits = [i for i, line in enumerate(lines) if pattern.search(line)]
    return rng.choice(hits) if hits and rng.random() < 0.8 else rng.randrange(len(lines))


def delete_lines(rng: random.Random, lines: list[str]) -> str:
    for _ in range(rng.randint(1, 5)):
        del lines[_pick(rng, lines)]
    return "delete lines"


def duplicate_lines(rng: random.Random, lines: list[str]) -> str:
    for _ in range(rng.randint(1, 3)):
        i = _pick(rng, lines)
        lines.insert(i, lines[i])
    return "duplicate lines"


def swap_columns(rng: random.Random, lines: list[str]) -> str:
    rows = [i for i, line in enumerate(lines) if line.count("\t") >= 1 and line.strip()]
    for i in rng.sample(rows, min(len(rows), rng.randint(1, 4))):
        cells = lines[i].split("\t")
        a, b = rng.sample(range(len(cells)), 2)
        cells[a], cells[b] = cells[b], cells[a]
        lines[i] = "\t".join(cells)
    return "swap columns"


def _replace_number(rng: random.Random, lines: list[str], new: Callable[[str], str]) -> None:
    rows = [i for i, line in enumerate(lines) if "\t" in line and _NUMBER_CELL.search(line)]
    i = rng.choice(rows)
    matches = list(_NUMBER_CELL.finditer(lines[i]))
    m = rng.choice(matches)
    lines[i] = lines[i][: m.start()] + new(m.group(0)) + lines[i][m.end() :]


def huge_number(rng: random.Random, lines: list[str]) -> str:
    big = rng.choice((str(10**30), "99999", "9999", "4294967296", "1e30", "10,5e9"))
    _replace_number(rng, lines, lambda _: big)
    return f"huge number {big}"


def negative_number(rng: random.Random, lines: list[str]) -> str:
    sign = rng.choice(("-", "−", "- "))
    _replace_number(rng, lines, lambda number: sign + number)
    return "negative number"


def above_max(rng: random.Random, lines: list[str]) -> str:
    rows = [i for i, line in enumerate(lines) if _SUBAREA_ROW.match(line)]
    i = rng.choice(rows)
    m = _SUBAREA_ROW.match(lines[i])
    assert m is not None
    score = int(m.group(4)) + rng.randint(1, 60)
    lines[i] = f"{m.group(1)}{m.group(2)}\t{score}\t{m.group(4)}" + lines[i][m.end() :]
    return f"sub-area {m.group(1)} above max"


def inject_markup(rng: random.Random, lines: list[str]) -> tuple[str, str]:
    """Put a payload into a findings item, raw or entity-escaped; return (step, payload)."""
    payload = rng.choice(PAYLOADS)
    written = html.escape(payload) if rng.random() < 0.5 else payload
    item = f"Injicerad {payload} slut"
    rows = [
        i for i, line in enumerate(lines) if "\t" in line and i and "Rubriker" not in lines[i - 1]
    ]
    bullets = [i for i in rows if "• " in lines[i]]
    paragraphs = [i for i in rows if "<p>" in lines[i]]
    if bullets and (not paragraphs or rng.random() < 0.7):
        i = rng.choice(bullets)
        at = rng.choice([m.end() for m in re.finditer("• ", lines[i])])
        lines[i] = f"{lines[i][:at]}Injicerad {written} slut • {lines[i][at:]}"
    else:
        i = rng.choice(paragraphs)
        at = rng.choice([m.start() for m in re.finditer("<p>", lines[i])])
        lines[i] = f"{lines[i][:at]}<p>Injicerad {written} slut</p> {lines[i][at:]}"
    return f"markup {written!r}", item


LINE_MUTATIONS: dict[str, Callable[[random.Random, list[str]], str]] = {
    "delete": delete_lines,
    "duplicate": duplicate_lines,
    "swap": swap_columns,
    "huge": huge_number,
    "negative": negative_number,
    "above_max": above_max,
}


# --- byte mutations ----------------------------------------------------------------------


def wrong_encoding(rng: random.Random, text: str) -> tuple[bytes, str]:
    choice = rng.choice(("cp1252", "latin-1", "utf-16-le", "utf-16-be", "mojibake", "double"))
    if choice == "mojibake":  # UTF-8 read as cp1252 and saved again as UTF-8
        return text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"), choice
    if choice == "double":  # UTF-8 read as latin-1, C1 controls and all
        return text.encode("utf-8").decode("latin-1").encode("utf-8"), choice
    return text.encode(choice, errors="replace"), f"encoded {choice}"


def cut(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    return data[:at], f"cut at byte {at}"


def random_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(out))
        out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 24)))
    return bytes(out), "random bytes"


KINDS = (*LINE_MUTATIONS, "markup", "encoding", "cut", "bytes", "mixed")


def make_mutant(rng: random.Random, kind: str) -> Mutant:
    """One mutant of a random sample: the named mutation (and, for "mixed", several)."""
    name = rng.choice(sorted(SAMPLES))
    lines = SAMPLES[name].split("\n")
    mutant = Mutant(b"", [name])
    line_kinds = rng.sample(sorted(LINE_MUTATIONS), rng.randint(2, 3)) if kind == "mixed" else []
    for step in [kind] if kind in LINE_MUTATIONS else line_kinds:
        mutant.steps.append(LINE_MUTATIONS[step](rng, lines))
    if kind == "markup":
        step, mutant.payload = inject_markup(rng, lines)
        mutant.steps.append(step)
    text = "\n".join(lines)
    data = text.encode("utf-8")
    byte_steps = {"encoding": [0], "cut": [1], "bytes": [2]}.get(kind, [])
    if kind == "mixed":
        byte_steps = [i for i in range(3) if rng.random() < 0.3]
    for i in byte_steps:
        if i == 0:
            data, step = wrong_encoding(rng, text)
        else:
            data, step = (cut, random_bytes)[i - 1](rng, data)
        mutant.steps.append(step)
    mutant.data = data
    return mutant


# --- what counts as valid ----------------------------------------------------------------


def number_errors(evaluation: Evaluation) -> list[str]:
    """Numbers a store may hold: 0 ≤ sub-area ≤ max, areas 0–100 = their table, total ≤ 800."""
    errors: list[str] = []
    if [a.number for a in evaluation.areas] != list(range(1, 9)):
        errors.append(f"areas {[a.number for a in evaluation.areas]}")
    flagged = {d.area for d in evaluation.discrepancies if d.kind == "subarea_sum"}
    for area in evaluation.areas:
        errors += _area_errors(area, area.number in flagged)
    total = round(sum(a.score for a in evaluation.areas), 2)
    if not 0 <= evaluation.total <= 800 or abs(evaluation.total - total) > 1e-6:
        errors.append(f"total {evaluation.total} (areas add up to {total})")
    for series in evaluation.references + evaluation.previous_evaluations:
        scores = [s for s in series.scores if s is not None]
        if any(not 0 <= s <= 100 for s in scores) or not 0 <= (series.total or 0) <= 800:
            errors.append(f"summary column {series.label!r}: {series.scores} {series.total}")
    return errors


def _area_errors(area: Any, flagged: bool) -> list[str]:
    n, errors = area.number, []
    if not 0 <= area.score <= 100:
        errors.append(f"area {n} score {area.score}")
    codes = [s.code for s in area.subareas]
    if len(set(codes)) != len(codes) or not all(c.startswith(f"{n}.") for c in codes):
        errors.append(f"area {n} sub-area codes {codes}")
    for sub in area.subareas:
        if not 0 <= sub.score <= sub.max <= 100:
            errors.append(f"sub-area {sub.code}: {sub.score} of {sub.max}")
    if sum(s.max for s in area.subareas) > 100.01:
        errors.append(f"area {n}: maxima add up to {sum(s.max for s in area.subareas)}")
    sub_sum = sum(s.score for s in area.subareas)
    if abs(sub_sum - area.score) > SUM_TOLERANCE and not flagged:
        errors.append(
            f"area {n}: sub-areas add up to {sub_sum:g}, area {area.score:g}, not flagged"
        )
    return errors


def outcome(mutant: Mutant) -> Evaluation | ParseError:
    """The parse of a mutant or its ParseError; anything else fails the test."""
    try:
        evaluation, _ = parse_bytes(mutant.data, "mutant.txt")
    except ParseError as exc:
        assert exc.message.strip(), f"{mutant}: ParseError without a message"
        return exc
    except Exception as exc:  # the point of this test: never anything but ParseError
        pytest.fail(f"{mutant}: {type(exc).__name__}: {exc}")
    return evaluation


# --- tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_mutants_parse_validly_or_fail_with_a_message(kind: str) -> None:
    rng = random.Random(f"fuzz-{kind}")
    problems = []
    for _ in range(PER_KIND):
        mutant = make_mutant(rng, kind)
        result = outcome(mutant)
        if isinstance(result, Evaluation):
            problems += [f"{mutant}: {e}" for e in number_errors(result)]
    assert problems == []


def _findings(evaluation: Evaluation) -> list[str]:
    return [text for a in evaluation.areas for kind in FINDING_KINDS for text in getattr(a, kind)]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("escaped", [False, True], ids=["raw", "escaped"])
def test_markup_in_findings_is_kept_as_plain_text(payload: str, escaped: bool) -> None:
    """The parser neither drops nor interprets markup in findings: it is text (the app escapes)."""
    written = html.escape(payload) if escaped else payload
    for name, text in SAMPLES.items():
        lines = text.split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("Styrkor\t")) + 1
        if "• " in lines[at]:
            lines[at] = lines[at].replace("• ", f"• Injicerad {written} slut • ", 1)
        else:
            lines[at] = lines[at].replace("<p>", f"<p>Injicerad {written} slut</p> <p>", 1)
        evaluation, _ = parse_bytes("\n".join(lines).encode("utf-8"), f"{name}.txt")
        assert f"Injicerad {payload} slut" in _findings(evaluation), name


def test_markup_mutants_keep_their_payload() -> None:
    rng = random.Random("markup-survives")
    for _ in range(PER_KIND):
        mutant = make_mutant(rng, "markup")
        result = outcome(mutant)
        assert isinstance(result, Evaluation), f"{mutant}: {result}"
        assert mutant.payload in _findings(result), str(mutant)


def _sala_with(old: str, new: str) -> bytes:
    text = SAMPLES["sala-2023"]
    assert text.count(old) == 1, old
    return text.replace(old, new).encode("utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("1.1\tStrategi för demokratiutveckling och information\t13\t20",
         "1.1\tStrategi för demokratiutveckling och information\t23\t20", "scores 23 of max 20"),
        ("1.1\tStrategi för demokratiutveckling och information\t13\t20",
         "1.1\tStrategi för demokratiutveckling och information\t-13\t20", "negative number -13"),
        ("\t\t60\t100\n", "\t\t−60\t100\n", "area 2's subtotal row has a negative number"),
        ("\t\t60\t100\n", "\t\t160\t100\n", "outside"),
        ("1.4\tTransparens kring resultat\t6\t10",
         "1.4\tTransparens kring resultat\t6\t1000", "max"),
        ("1.4\tTransparens kring resultat\t6\t10",
         "1.4\tTransparens kring resultat\t6\t10\n1.4\tTransparens kring resultat\t6\t10",
         "1.4 listed twice"),
        ("2.4\tCivilsamhälle, näringsliv och kultur\t17\t25",
         "2.4\tCivilsamhälle, näringsliv och kultur\t17\t25\n2.5\tExtra\t20\t40", "add up"),
    ],
    ids=["above-max", "negative", "negative-subtotal", "subtotal-above-100", "max-above-area",
         "duplicate-code", "maxima-over-100"],
)  # fmt: skip
def test_impossible_scores_are_rejected(old: str, new: str, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)) as caught:
        parse_bytes(_sala_with(old, new), "sala-2023.txt")
    assert caught.value.line is not None


def test_subareas_that_exceed_their_area_are_flagged() -> None:
    data = _sala_with("1.2\tKommunens information till medborgarna\t8\t10",
                      "1.2\tKommunens information till medborgarna\t10\t10")  # fmt: skip
    evaluation, _ = parse_bytes(data, "sala-2023.txt")
    [flag] = [d for d in evaluation.discrepancies if d.kind == "subarea_sum"]
    assert (flag.area, flag.stated, flag.chosen) == (1, 68, 66)


def test_summary_values_out_of_range_are_not_stored() -> None:
    data = _sala_with("7 Arbetsliv\t62\t26\t68", "7 Arbetsliv\t62\t2600\t68")
    evaluation, _ = parse_bytes(data, "sala-2023.txt")
    assert evaluation.previous_evaluations == [] and evaluation.references == []
    assert any("summary table" in w for w in evaluation.warnings)
    assert number_errors(evaluation) == []


def test_failed_ingests_leave_the_store_unchanged(sample_db_copy: Path, tmp_path: Path) -> None:
    rng = random.Random("ingest")
    failing: list[Mutant] = []
    while len(failing) < 6:
        mutant = make_mutant(rng, rng.choice(KINDS))
        if isinstance(outcome(mutant), ParseError):
            failing.append(mutant)
    before = dump(sample_db_copy)
    size = sample_db_copy.stat().st_size
    for number, mutant in enumerate(failing):
        # Same name as the sample it came from: a replacement that must not happen.
        path = tmp_path / str(number) / f"{mutant.steps[0]}.txt"
        path.parent.mkdir()
        path.write_bytes(mutant.data)
        with pytest.raises(ParseError):
            ingest(path, sample_db_copy)
    assert dump(sample_db_copy) == before
    assert sample_db_copy.stat().st_size == size
