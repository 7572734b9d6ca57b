"""Reports in other text shapes (issue #11, point 4): the sample reports with their line
breaks lost or moved (tests/data/shapes/, made by tests/helpers/shapes.py) parse to the
golden values of their originals, and to the same values as the originals altogether.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from kompass.parse import Evaluation, ParseError, parse_bytes, parse_report
from kompass.parse.shape import is_flattened, is_wrapped, reshape, strip_furniture, unwrap
from kompass.parse.text import normalise
from tests.helpers.parse import CASES, SAMPLES, compare_with_golden, load_golden, sample_text
from tests.helpers.shapes import SHAPES, VARIANTS, Variant, make

VARIANT_NAMES = [v.name for v in VARIANTS]
RUN = 1_000_000  # characters of one pathological run
SECONDS = 5.0  # CPU seconds for reshaping a text with such runs


def variant_path(variant: Variant) -> Path:
    return SHAPES / f"{variant.name}.txt"


@cache
def parsed_variant(name: str) -> Evaluation:
    return parse_report(SHAPES / f"{name}.txt")


def _without_lines(value: Any) -> Any:
    """A parse result without what depends on line numbers (lines move in a new shape)."""
    if isinstance(value, dict):
        return {
            key: _without_lines(item)
            for key, item in value.items()
            if key not in ("line", "stated_line", "source_file", "warnings")
        }
    if isinstance(value, list):
        return [_without_lines(item) for item in value]
    return value


def test_every_sample_has_a_variant_and_every_shape_is_covered() -> None:
    assert sorted(v.sample for v in VARIANTS) == sorted(SAMPLES)
    assert {shape for v in VARIANTS for shape in v.shapes} == {"pages", "headers", "hyphens"}


@pytest.mark.parametrize("variant", VARIANTS, ids=VARIANT_NAMES)
def test_committed_variant_is_what_the_generator_makes(variant: Variant) -> None:
    assert variant_path(variant).read_text(encoding="utf-8") == make(variant), (
        "run `python -m tests.helpers.shapes` and commit tests/data/shapes/"
    )


@pytest.mark.parametrize("variant", VARIANTS, ids=VARIANT_NAMES)
def test_variant_has_its_originals_golden_file_beside_it(variant: Variant) -> None:
    """So that `python tests/check_golden.py --reports tests/data/shapes` checks them."""
    link = SHAPES / f"{variant.name}.json"
    assert link.resolve() == (SHAPES.parent.parent / "golden" / f"{variant.sample}.json")
    assert link.resolve().exists()


@pytest.mark.parametrize("variant", VARIANTS, ids=VARIANT_NAMES)
def test_variant_has_lost_its_lines(variant: Variant) -> None:
    """The variants are really in their shape: the parser without `reshape` refuses or
    misreads them (else this test file would prove nothing)."""
    text = variant_path(variant).read_text(encoding="utf-8")
    lines = normalise(text).split("\n")
    assert text != sample_text(variant.sample)
    if "pages" in variant.shapes:
        assert is_flattened(lines) and len(lines) < 40
    if "hyphens" in variant.shapes:  # "verk-" ending a line, or "verk- samhet" in a page
        assert sum(line.endswith("-") for line in lines) + text.count("- ") > 100
    if "headers" in variant.shapes:
        assert sum("Page " in line or "Sida " in line for line in lines) >= 5


@pytest.mark.parametrize("variant", VARIANTS, ids=VARIANT_NAMES)
def test_variant_parses_to_the_golden_values_of_its_original(variant: Variant) -> None:
    got = parsed_variant(variant.name).to_json()
    errors = compare_with_golden(got, load_golden(variant.sample))
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("variant", VARIANTS, ids=VARIANT_NAMES)
def test_variant_parses_like_its_original(variant: Variant) -> None:
    """Not only the golden values: findings, facts, references and discrepancies too;
    the warnings' codes and fields but their lines."""
    original = parse_report(SHAPES.parents[2] / "data" / "reports" / f"{variant.sample}.txt")
    got = parsed_variant(variant.name)
    assert _without_lines(got.to_json()) == _without_lines(original.to_json())
    codes = [(w.code, {k: v for k, v in w.fields.items() if k != "line"}) for w in got.warnings]  # type: ignore[attr-defined]
    expected = [(w.code, {k: v for k, v in w.fields.items() if k != "line"})  # type: ignore[attr-defined]
                for w in original.warnings]  # fmt: skip
    assert codes == [*expected, ("text_reshaped", {})]  # the lines point elsewhere now


@pytest.mark.parametrize("name", SAMPLES)
def test_originals_are_left_as_they_are(name: str) -> None:
    text = normalise(sample_text(name))
    assert reshape(text) is text


def test_layout_cases_are_left_as_they_are() -> None:
    for path in sorted(CASES.glob("*.txt")):
        text = normalise(path.read_text(encoding="utf-8"))
        assert reshape(text) is text, path.name


def test_page_markers_headers_and_footers_are_removed() -> None:
    lines = []
    for page, word in enumerate(("Allmänt", "Poäng", "Styrkor", "Område", "Totalt"), 1):
        footer = f"Sveriges Kommuner och Regioner Sida {page} av 5"
        lines += [
            f"Rapport Sala 2023 {word} överst",
            "",
            "Mitt på sidan",
            f"Sista raden {page} {footer}",
        ]
    assert strip_furniture(lines)
    assert lines[:8] == ["Rapport Sala 2023 Allmänt överst", "", "Mitt på sidan", "Sista raden 1",
                         "Poäng överst", "", "Mitt på sidan", "Sista raden 2"]  # fmt: skip


def test_a_page_word_in_the_text_is_no_marker() -> None:
    lines = ["se sida 4", "text", "som på sida 12", "mer", "Page 3"]
    assert not strip_furniture(lines)
    assert lines == ["se sida 4", "text", "som på sida 12", "mer", "Page 3"]


def test_wrapped_prose_is_joined_and_split_words_made_whole() -> None:
    lines = [
        "Utvärderingen av Sala kommun genomfördes i september år 2023 och var verk-",
        "samhetens andra utvärdering. Chefs-",
        "och ledarskap samt medarbetarskap, uppföljning och analys av de olika",
        "dialogformerna.",
        "",
        "Styrkor\tFörbättringsmöjligheter",
        "<ul> • Strate-",
        "gi",
    ]
    assert unwrap(lines) == [
        "Utvärderingen av Sala kommun genomfördes i september år 2023 och var verksamhetens "
        "andra utvärdering. Chefs- och ledarskap samt medarbetarskap, uppföljning och analys "
        "av de olika dialogformerna.",
        "",
        "Styrkor\tFörbättringsmöjligheter",
        "<ul> • Strate-",
        "gi",
    ]


def test_a_text_with_few_split_words_is_not_unwrapped() -> None:
    lines = ["Uppföljnings-", "och rapporteringssystem", "kultur-", "och fritid"]
    assert not is_wrapped(lines)


PATHOLOGICAL = {
    "spaces": lambda: "Kommunkompassen " + " " * RUN + "x",
    "tab_space": lambda: "Kommunkompassen " + "\t " * (RUN // 2),
    "headings": lambda: "Kommunkompassen " + "Område 1 Offentlighet och demokrati " * (RUN // 36),
    "heading_no_name": lambda: "Område 1 " * (RUN // 9),
    "numbers": lambda: "a\t1" + " 1" * (RUN // 2),
    "codes": lambda: "x 1.1 " * (RUN // 6),
    "poang": lambda: "Poäng " * (RUN // 6),
    "styrkor": lambda: "Styrkor " + "Förbättringsmöjligheter " * (RUN // 24),
    "markers": lambda: "\n".join(f"text Sida {n} av 9" for n in range(RUN // 16)),
    "hyphens": lambda: "\n".join(["verksam-", "het"] * (RUN // 12)),
    "title": lambda: "Utvärdering av Sala kommun" + " " * RUN,
}


@pytest.mark.parametrize("shape", PATHOLOGICAL)
def test_reshape_takes_linear_time(shape: str) -> None:
    text = PATHOLOGICAL[shape]()
    start = time.process_time()
    reshape(text)
    seconds = time.process_time() - start
    assert seconds < SECONDS, f"{shape}: {seconds:.1f} s"


def test_a_flattened_text_of_too_many_breaks_is_refused_with_the_reason() -> None:
    text = "Kommunkompassen\n" + "Poäng 1 " * 300_000
    with pytest.raises(ParseError) as info:
        parse_bytes(text.encode(), "platt.txt")
    assert info.value.code in ("too_many_lines", "not_a_report", "no_area_headings")


# Beyond the committed variants: every sample in every shape and combination the
# generator makes, with single-word footers and both kinds of page marker.
COMBINATIONS = [
    Variant(sample, shapes, header=header, footer=footer, marker=marker)
    for sample in SAMPLES
    for shapes, header, footer, marker in (
        (("pages",), "", "", ""),
        (("hyphens",), "", "", ""),
        (("headers",), "Kommunkompassen Rapport 2020", "", "page"),
        (("headers",), "Kommunkompassen Rapport 2020", "SKR", "sida"),
        (("pages", "headers"), "Kommunkompassen Rapport 2020", "", "page"),
        (("pages", "headers"), "Kommunkompassen Rapport 2020", "SKR", "sida"),
        (("hyphens", "pages"), "", "", ""),
        (("hyphens", "headers"), "Kommunkompassen Rapport 2020", "SKR", "sida"),
    )
]


@pytest.mark.parametrize(
    "variant", COMBINATIONS, ids=[f"{v.name}-{v.marker or 'none'}" for v in COMBINATIONS]
)
def test_every_sample_in_every_shape_parses_to_its_golden_values(variant: Variant) -> None:
    evaluation, _ = parse_bytes(make(variant).encode("utf-8"), f"{variant.sample}.txt")
    errors = compare_with_golden(evaluation.to_json(), load_golden(variant.sample))
    assert errors == [], "\n".join(errors)
