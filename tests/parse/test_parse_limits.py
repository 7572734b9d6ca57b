"""Nothing frozen: any text, however long its lines, is parsed or refused in linear time.

Each pathological line below took the parser of b263238 minutes (quadratic
regexes: "Område 1 a", 100,000 spaces and "x" took 67 s). The bounds are CPU
seconds of this process, generous for a shared machine; today each case
takes well under a second, the 50 MB texts a few seconds.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest

from kompass.parse import Evaluation, ParseError, parse_bytes, parse_text
from kompass.parse.text import MAX_BYTES, MAX_LINES, normalise
from tests.helpers.parse import sample_text, signature

FINDINGS_HEADER = "Styrkor\tFörbättringsmöjligheter\n"
RUN = 1_000_000  # characters in one pathological run (10x the 100,000)
LINE_SECONDS = 5.0  # CPU seconds for a report with such a line in five places
BIG_SECONDS = 10.0  # CPU seconds for a 50 MB text


def _lines(pattern: str, count: int) -> str:
    return pattern * (count // len(pattern))


# name -> the pathological line; the comment says which pattern it defeated.
SHAPES: dict[str, Callable[[], str]] = {
    "heading_spaces": lambda: "Område 1 a" + " " * RUN + "x",  # _HEADING: (.*?)\s*$
    "heading_tabs": lambda: "Område 1 a" + "\t" * RUN + "x",
    "heading_dots": lambda: "Område 1 a" + "." * RUN + "x",  # _TOC_TAIL: \.{3,}
    "heading_digits": lambda: "Område 1 a" + "1" * RUN + "x",
    "heading_no_name": lambda: "Område 1" + " " * RUN,  # \s*[:.]?\s+ giving back spaces
    "toc_spaces": lambda: "a" + " " * RUN + "x Område",  # _TOC_TAIL: \s{2,}
    "poang_spaces": lambda: "Poäng" + " " * RUN + "x",
    "overview_spaces": lambda: " " * RUN + "x Översikt av poängfördelning",
    "kortfakta_spaces": lambda: " " * RUN + "Kortfakta",
    "title_kommun": lambda: "a" + " " * RUN + "x",  # title line: ([\w ]+?)\s+kommun
    "title_skr": lambda: "SKR" + " " * RUN + "x",  # ,?\s*\b(SKR|SKL)\s*$
    "performed": lambda: _lines("Utvärderingen av ", RUN),  # ([\w ]+?) kommun, per match
    "title_name": lambda: "Analys av a" + " " * RUN + "x",
    "ordinal_word": lambda: "a" * RUN,  # \w+[sxz] from every letter
    "interviews": lambda: _lines("intervju", RUN),  # intervju\w* from every match
    "styrkor_gap": lambda: "Styrkor" + " " * RUN + "x förbättring",
    "p_tags": lambda: FINDINGS_HEADER + "\t" + _lines("<p", RUN),  # <\s*p\b[^>]*> per "<p"
    "numbers": lambda: "1.1 x " + _lines("1 ", RUN),  # tail.insert(0, …)
    "continued_items": lambda: "Styrkor\n" + ("b" * 99 + "-\n") * 30_000,  # text += line
}


def _report_with(line: str) -> str:
    """sala-2023 with `line` in six places: title, summary, area 1, after area 8, in the
    score overview, at the end. Each stage of the parser reads one of them.
    """
    lines = sample_text("sala-2023").split("\n")
    first_area = max(i for i, text in enumerate(lines) if text.startswith("Område 1"))
    overview = max(i for i, text in enumerate(lines) if "Översikt av poäng" in text)
    places = (3, first_area - 3, first_area + 5, overview, overview + 3, len(lines))
    for at in sorted(places, reverse=True):
        lines.insert(at, line)
    return "\n".join(lines)


def _parse_cpu_seconds(text: str) -> tuple[float, Evaluation | ParseError]:
    start = time.process_time()
    try:
        outcome: Evaluation | ParseError = parse_text(normalise(text), "limits.txt")
    except ParseError as exc:
        outcome = exc
    return time.process_time() - start, outcome


@pytest.mark.parametrize("shape", SHAPES)
def test_pathological_line_is_parsed_in_linear_time(shape: str) -> None:
    seconds, outcome = _parse_cpu_seconds(_report_with(SHAPES[shape]()))
    assert seconds < LINE_SECONDS, f"{shape}: {seconds:.1f} s"
    assert isinstance(outcome, Evaluation | ParseError)


@pytest.mark.parametrize("shape", ["heading_spaces", "poang_spaces", "title_kommun", "numbers"])
def test_pathological_line_leaves_the_scores_alone(shape: str) -> None:
    """Sala with a junk line in five places still gets its scores (the line is text)."""
    _, outcome = _parse_cpu_seconds(_report_with(SHAPES[shape]()))
    assert isinstance(outcome, Evaluation), outcome
    clean = parse_text(sample_text("sala-2023"), "sala-2023.txt")
    assert [row[:3] for row in signature(outcome)] == [row[:3] for row in signature(clean)]


# --- 50 MB -----------------------------------------------------------------------------------

VOCABULARY = (
    "Kommunkompassen", "Område 1 a", "Område 3 Tillgänglighet", "Poäng", "Rubriker", "Styrkor",
    "Förbättringsmöjligheter", "Finns delar, kan bli bättre", "Översikt av poängfördelning",
    "Kortfakta", "Utvärderingen av", "Sala", "kommun", "genomfördes", "intervju", "med",
    "personer", "kommunens", "andra", "utvärdering", "Totalt", "Medel 2020-", "Sala 2019",
    "SKR", "Utvärderare:", "1.", "1.1", "2.3", "12", "4,5", "100", "-3", "50 %", "<p>", "<ul>",
    "<li>", "•", "...", "…", "Ã¤", "sida 3 av 40", "Innehåll", "januari", "2019", "a", "och",
)  # fmt: skip
RUNS = (" ", "\t", ".", "1", "a", "<p", "•", "Område 1 a ", "\t ")


def _random_text(rng: random.Random, size: int, line_every: int) -> str:
    """Report words, numbers and markup with runs of up to 1 MB, a line end every ~N pieces."""
    pieces: list[str] = []
    total = 0
    while total < size:
        if rng.random() < 0.002:
            piece = rng.choice(RUNS) * rng.randint(1_000, 1_000_000)
        else:
            piece = rng.choice(VOCABULARY) + rng.choice((" ", "  ", "\t", "      "))
        if rng.random() < 1 / line_every:
            piece += rng.choice(("\n", "\n\n", "\r\n", "\f"))
        pieces.append(piece)
        total += len(piece)
    return "".join(pieces)


def _fifty_mb(seed: int, line_every: int) -> bytes:
    """sala-2023 with a random 49 MB block inside area 1: every stage sees it."""
    sala = sample_text("sala-2023").split("\n")
    first_area = max(i for i, text in enumerate(sala) if text.startswith("Område 1"))
    head = "\n".join(sala[: first_area + 5]).encode()
    tail = "\n".join(sala[first_area + 5 :]).encode()
    room = MAX_BYTES - len(head) - len(tail) - 2
    block = _random_text(random.Random(seed), room, line_every).encode()[:room]
    data = head + b"\n" + block.decode("utf-8", "ignore").encode() + b"\n" + tail
    assert MAX_BYTES - 5_000_000 < len(data) <= MAX_BYTES
    return data


@pytest.mark.parametrize(
    ("seed", "line_every"),
    [(1, 1_000), (2, 20)],
    ids=["long-lines", "short-lines"],
)
def test_fifty_mb_of_random_text_is_parsed_or_refused_in_seconds(
    seed: int, line_every: int
) -> None:
    data = _fifty_mb(seed, line_every)
    start = time.process_time()
    try:
        parse_bytes(data, "random.txt")
    except ParseError as exc:
        assert "random.txt" in str(exc)
    seconds = time.process_time() - start
    assert seconds < BIG_SECONDS, f"{seconds:.1f} s"


def test_too_many_lines_are_refused_with_the_reason() -> None:
    text = sample_text("sala-2023") + "\n" + "a\n" * MAX_LINES
    with pytest.raises(ParseError) as info:
        parse_bytes(text.encode(), "lines.txt")
    assert info.value.source == "lines.txt"
    assert f"{MAX_LINES:,} lines" in info.value.message
