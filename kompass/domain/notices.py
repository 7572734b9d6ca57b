"""Coded notices: the parser's warnings and errors, and the CSV imports' errors and warnings.

A `Notice` is a `str` whose value is the English message (what the CLI prints,
what `kompass parse --json` writes and what `report.warnings` stores), with a
stable snake_case `code` and the facts behind the message in `fields` (JSON
values: line, area, label, numbers). `kompass.present.notices` words every code
in Swedish for the app from the code and the fields alone.

`CODES` lists every code the code base produces and the names of its fields;
a Notice with another code, or other fields, is refused when made, so the
registry stays complete and the Swedish texts can be checked against it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

# code -> field names. Groups: parse warnings, parse errors (ParseError), import
# errors (ImportValidationError), import warnings, import outcomes (skipped, replaced).
PARSE_WARNINGS: dict[str, tuple[str, ...]] = {
    "month_not_stated": (),
    "evaluation_number_not_stated": (),
    "interviewees_not_stated": (),
    "evaluators_not_named": (),
    "unknown_area_heading": ("line", "area", "heading"),
    "area_score_not_stated": ("area",),
    "area_no_findings": ("area", "kind"),  # kind: strengths | improvements
    "findings_without_item_marks": ("line",),
    "findings_without_columns": ("line",),
    "no_subtotal_row": ("area",),
    "subtotal_max_mismatch": ("area", "maxima", "subtotal_max"),
    "summary_table_ignored": ("line", "label", "area", "score", "limit"),
    "summary_total_ignored": ("line", "label", "total", "limit"),
    "text_reshaped": (),  # the text's lines were restored (parse.shape)
}
PARSE_ERRORS: dict[str, tuple[str, ...]] = {
    # reading the file
    "not_a_regular_file": ("kind",),  # kind: folder | pipe | device | socket | other
    "file_too_large": ("size_mb", "limit_mb"),
    "cannot_read_file": ("detail",),  # detail: the system's own (English) words
    "file_empty": (),
    "too_many_lines": ("lines", "limit"),
    "broken_utf16": (),
    "binary_file": (),
    "unreadable_pdf": ("detail",),
    "pdf_without_text": (),
    "pdf_encryption_unsupported": ("detail",),
    "pdf_password": (),
    # the report's structure
    "not_a_report": (),
    "no_area_headings": (),
    "areas_missing": ("areas",),  # areas: list of area numbers
    "headings_out_of_order": ("area", "before"),
    "overview_not_found": (),
    "overview_area_missing": ("area",),
    "framework_unclear": (),
    # why a text is no complete report (parse.refusals)
    "summary_not_report": ("areas",),  # areas: the area numbers the summary gives a score
    "report_ends_after_contents": (),
    "report_cut_off": ("area", "name"),  # the last area found and its heading's name
    "framework_before_2010": ("year",),
    "unknown_municipality": ("name",),
    "municipality_not_found": (),
    "year_not_found": (),
    "year_out_of_range": ("year", "first", "last"),
    # the score overview's tables
    "negative_subarea_score": ("subarea", "value"),
    "negative_subtotal": ("area", "value"),
    "overview_too_long": ("cells",),
    "subarea_without_numbers": ("subarea",),
    "area_maxima_over_limit": ("area", "maxima", "limit"),
    "area_table_incomplete": ("area", "maxima"),
    "subtotal_out_of_range": ("area", "subtotal", "top"),
    "subarea_in_wrong_area": ("subarea", "area"),
    "subarea_listed_twice": ("subarea",),
    "subarea_max_out_of_range": ("subarea", "max", "limit"),
    "subarea_score_out_of_range": ("subarea", "score", "max"),
    # the parse could not finish (not the report's content)
    "over_budget": ("detail",),
    "parser_failed": ("detail",),  # a bug in the parser, or its worker process died
}
IMPORT_ERRORS: dict[str, tuple[str, ...]] = {
    "import_too_large": ("limit_mb",),
    "import_utf16_unreadable": (),
    "import_utf16_without_bom": (),
    "import_unknown_encoding": (),
    "import_empty": (),
    "import_no_data_rows": (),
    "import_unknown_column": ("line", "column", "known"),  # known: the columns, comma-separated
    "import_duplicate_column": ("line", "column"),
    "import_missing_column": ("line", "column"),
    "import_unclosed_quote": ("line",),
    "import_text_after_quote": ("line",),
    "import_quote_in_field": ("line",),
    "import_too_many_fields": ("line", "n_fields", "n_columns"),
    "import_control_character": ("line", "column", "char"),  # char: "U+001B"
    "import_value_missing": ("line", "column"),
    "import_not_a_number": ("line", "column", "value"),
    "import_number_out_of_range": ("line", "column", "value", "high"),
    "import_integer_out_of_range": ("line", "column", "value", "low", "high"),
    "import_not_a_year": ("line", "column", "value"),
    "import_not_a_month": ("line", "column", "value"),
    "import_not_an_integer": ("line", "column", "value"),
    "import_not_a_framework": ("line", "column", "value"),
    "import_unknown_municipality": ("line", "column", "value"),
    "import_no_scores": ("line",),
    "import_duplicate_evaluation": ("line", "name", "year", "first"),
    "import_duplicate_label": ("line", "label", "framework", "year", "first"),
}
IMPORT_WARNINGS: dict[str, tuple[str, ...]] = {
    "import_framework_year": ("line", "framework", "year"),
    "import_reference_total": ("line", "total", "sum"),
    "import_total_mismatch": ("line", "total", "sum"),  # kept as discrepancy 'import_total'
    "import_reference_total_computed": ("line", "sum"),
}
IMPORT_OUTCOMES: dict[str, tuple[str, ...]] = {
    # origin: report | import | stated_in_report (evaluation.origin of the stored row)
    "import_skipped_report_wins": ("line", "name", "year", "origin", "file"),
    # columns: comma-separated ("omrade3, total"), kept as discrepancies 'published'
    "import_skipped_report_differs": ("line", "name", "year", "origin", "file", "columns"),
    "import_replaces_evaluation": ("line", "name", "year", "origin", "file"),
    "import_replaces_reference": ("line", "label", "year", "file"),
}
# A result pasted as text (kompass.parse.pasted): refusals (PasteError) and notes.
PASTE_ERRORS: dict[str, tuple[str, ...]] = {
    "paste_too_long": ("value", "limit"),  # value: the characters pasted
    "paste_nothing_recognised": (),
    "paste_source_missing": (),
    "paste_unknown_municipality": ("name",),
    "paste_municipality_missing": (),
    "paste_year_missing": (),
}
PASTE_WARNINGS: dict[str, tuple[str, ...]] = {
    "paste_columns_mismatch": ("line", "n_fields", "n_columns"),  # n_fields: numbers read
    "paste_area_twice": ("line", "area"),
    "paste_value_out_of_range": ("line", "value", "limit"),
}
CODES: dict[str, tuple[str, ...]] = {
    **PARSE_WARNINGS,
    **PARSE_ERRORS,
    **IMPORT_ERRORS,
    **IMPORT_WARNINGS,
    **IMPORT_OUTCOMES,
    **PASTE_ERRORS,
    **PASTE_WARNINGS,
}


def check_code(code: str, fields: Mapping[str, Any]) -> None:
    """Refuse a code missing from CODES, or fields other than the ones it declares."""
    names = CODES.get(code)
    if names is None:
        raise ValueError(f"unknown notice code {code!r} (add it to kompass.domain.notices)")
    if set(fields) != set(names):
        raise ValueError(f"notice {code!r} takes fields {names}, got {tuple(fields)}")


class Notice(str):
    """An English message (the string itself) with its `code` and `fields`.

    A `str`, so that lists of warnings stay lists of text (JSON output, the
    store's `report.warnings`); pickled with its code and fields, so that it
    crosses the parse workers' pipes whole.
    """

    code: str
    fields: dict[str, Any]

    def __new__(cls, code: str, message: str, **fields: Any) -> Notice:
        check_code(code, fields)
        self = super().__new__(cls, message)
        self.code = code
        self.fields = fields
        return self

    @property
    def message(self) -> str:
        return str.__str__(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.code, str.__str__(self), self.fields))

    def __repr__(self) -> str:
        return f"Notice({self.code!r}, {str.__repr__(self)}, **{self.fields!r})"

    def record(self) -> dict[str, Any]:
        """{"code": …, "fields": {…}}: what the store keeps besides the English text."""
        return {"code": self.code, "fields": self.fields}


def _rebuild(code: str, message: str, fields: dict[str, Any]) -> Notice:
    return Notice(code, message, **fields)


def records_json(messages: Sequence[str]) -> str:
    """The codes and fields of `messages` as a JSON list, aligned with them.

    A message that is not a Notice (plain text) has `null` in its place.
    """
    return json.dumps(
        [m.record() if isinstance(m, Notice) else None for m in messages], ensure_ascii=False
    )


def from_records(messages: Sequence[str], stored: object) -> list[str]:
    """`messages` (English, as stored) rebuilt as Notices from `records_json`'s text.

    A message without a usable record (a store from before notices: `stored` is
    NULL, read as None or NaN; an unknown code) comes back as plain text.
    """
    try:
        records = json.loads(stored) if isinstance(stored, str) else []
    except ValueError:
        records = []
    if not isinstance(records, list):
        records = []
    out: list[str] = []
    for index, message in enumerate(messages):
        record = records[index] if index < len(records) else None
        out.append(_from_record(str(message), record))
    return out


def _from_record(message: str, record: Any) -> str:
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
        return message
    try:
        return Notice(str(record.get("code")), message, **record["fields"])
    except (ValueError, TypeError):
        return message  # a code or fields this version does not know
