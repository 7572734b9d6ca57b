"""Report text (or PDF) -> `Evaluation` dataclasses. See DESIGN.md, "The parse contract"."""

from kompass.parse.model import (
    Area,
    Discrepancy,
    Evaluation,
    ParseError,
    ScoreSeries,
    SubArea,
)
from kompass.parse.report import PARSER_VERSION, parse_bytes, parse_report, parse_text

__all__ = [
    "PARSER_VERSION",
    "Area",
    "Discrepancy",
    "Evaluation",
    "ParseError",
    "ScoreSeries",
    "SubArea",
    "parse_bytes",
    "parse_report",
    "parse_text",
]
