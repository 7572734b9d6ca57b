"""The parsed form of one Kommunkompassen report.

Every number keeps the 1-based line of the (normalised) report text it came
from, so the store and the app can always point back to the source.
`Evaluation.to_json()` is the parse contract of `kompass parse --json`
(see DESIGN.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kompass.domain.notices import Notice, check_code

FINDING_KINDS = ("strengths", "partial", "improvements")


class ParseError(Exception):
    """A file that is not a complete Kommunkompassen report.

    The message (English) says what is missing or wrong and, where known, the
    line; `code` and `fields` say the same for `kompass.present.notices`, which
    words it in Swedish (codes in `kompass.domain.notices.PARSE_ERRORS`).
    """

    def __init__(
        self,
        message: str,
        line: int | None = None,
        source: str | None = None,
        code: str = "parser_failed",
        fields: dict[str, Any] | None = None,
    ):
        self.message = message
        self.line = line
        self.source = source
        self.code = code
        # Uncoded (a caller's own text): the message itself is the detail.
        self.fields = dict(fields) if fields is not None else {"detail": message}
        check_code(code, self.fields)
        super().__init__(str(self))

    @classmethod
    def coded(
        cls,
        code: str,
        message: str,
        line: int | None = None,
        source: str | None = None,
        **fields: Any,
    ) -> ParseError:
        """A ParseError with its code and fields (`kompass.domain.notices.CODES`)."""
        return cls(message, line, source, code, fields)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled between processes (worker pools): keep the fields, not only the text.
        return (type(self), (self.message, self.line, self.source, self.code, self.fields))

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message

    @property
    def notice(self) -> Notice:
        """The error as a Notice (without its source and line)."""
        return Notice(self.code, self.message, **self.fields)


@dataclass
class SubArea:
    code: str
    name: str
    score: float
    max: float
    line: int


@dataclass
class Area:
    number: int
    name: str
    score: float
    line: int
    subareas: list[SubArea] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    # The "Poäng" stated in the area text (header or end); None if absent.
    stated_score: float | None = None
    stated_line: int | None = None


@dataclass
class ScoreSeries:
    """Eight area scores and a total stated in a summary table.

    Used both for reference means ("Medel 2020-") and for previous
    evaluations stated in a later report ("Sala 2019").
    """

    label: str
    scores: list[float | None]
    total: float | None
    line: int
    year: int | None = None


@dataclass
class Discrepancy:
    area: int | None
    kind: str  # area_header | subarea_sum | summary_table | total
    stated: float
    chosen: float
    line: int
    note: str = ""


@dataclass
class Evaluation:
    municipality: str
    municipality_code: str
    year: int
    month: int | None
    framework: str  # "2010" or "2020"
    evaluation_number: int | None
    interviewees: int | None
    evaluators: list[str]
    areas: list[Area]
    total: float
    stated_total: float | None = None
    references: list[ScoreSeries] = field(default_factory=list)
    previous_evaluations: list[ScoreSeries] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    source_file: str = ""

    def to_json(self) -> dict[str, Any]:
        """The parse contract (DESIGN.md) as a JSON-ready dict, lines included."""
        return asdict(self)
